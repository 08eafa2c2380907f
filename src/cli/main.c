/* main.c - the tcpsim command: for now, a stub that says what it is. */
#include <stdio.h>

int main(void)
{
    puts("tcpsim: the engine is built; the command front end is not there yet.");
    return 0;
}
