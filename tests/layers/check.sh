#!/bin/sh
# check.sh - the three layers, read off the #include lines (STYLE.md
# "Three layers, three folders"): arrows point down only.
#   src/engine, include/tcpsim: the C library and each other; no I/O
#   src/render: the engine's headers and its own; never src/cli
#   src/cli: anything
# and the engine has no circle: the TCB's files (tcb*.c, listener.c and
# their headers) reach the simulation only through host.h, never sim.h;
# and no source file is over 600 lines.
# Prints one line per violation and "N passed, N failed" at the end.
cd "$(dirname "$0")/../.." || exit 2
pass=0 fail=0
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() {   # check NAME FILES... : the files must not match $pattern
    name=$1; shift
    hits=$(grep -Hn -E "$pattern" "$@" 2>/dev/null)
    if [ -n "$hits" ]; then bad "$name:"; echo "$hits" | sed 's/^/  /'; else pass=$((pass + 1)); fi
}
pattern='#include +"(cli|render)/'
check "the engine includes a layer above it" src/engine/*.[ch] include/tcpsim/*.h
pattern='#include +"cli/'
check "a renderer includes the front end" src/render/*.[ch]
pattern='#include +<(stdio|locale|libintl|readline/[a-z]+|jansson|pcap/pcap)\.h>'
check "the engine does I/O or reads the locale" src/engine/*.[ch] include/tcpsim/*.h
pattern='#include +"tcpsim/sim\.h"|\bsim_[a-z_]+\('
check "a TCB file reaches into sim.c (use the tcb_host)" src/engine/tcb*.[ch] src/engine/listener.c \
    include/tcpsim/tcb.h include/tcpsim/listener.h include/tcpsim/host.h
# Short files with one owner each: none over 600 lines.
long=$(wc -l src/*/*.[ch] include/tcpsim/*.h | awk '$2 != "total" && $1 > 600 { print "  " $2 ": " $1 " lines" }')
if [ -n "$long" ]; then bad "a file over 600 lines (split it by concept):"; echo "$long"; else pass=$((pass + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
