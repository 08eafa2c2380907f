#!/bin/sh
# busy.sh - `make` while ./tcpsim runs (a student's REPL in another
# terminal): the new binary replaces the old one instead of failing with
# "Text file busy".  Run from the top of the tree after a build; MAKE is
# the make to call.
set -u
MAKE=${1:-make}
tmp=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$tmp"' EXIT
# A clean clone's `make check` builds build/tcpsim only: make ./tcpsim
# first, or there is nothing running to replace (and the script would die
# of SIGPIPE writing to a FIFO nobody reads).
$MAKE -s tcpsim >/dev/null 2>&1 || { echo "FAIL busy: cannot build ./tcpsim"; exit 1; }
mkfifo "$tmp/fifo"
./tcpsim -q < "$tmp/fifo" > /dev/null 2>&1 &
pid=$!
exec 3> "$tmp/fifo"         # the running tcpsim waits for commands
trap '' PIPE                # a tcpsim that died is reported below, not by a signal
# -W: as if build/tcpsim were new, so ./tcpsim is replaced now.
if $MAKE -s -W build/tcpsim tcpsim > "$tmp/out" 2>&1 && cmp -s build/tcpsim tcpsim && kill -0 "$pid" 2>/dev/null; then
    status=0; echo "busy: 1 passed, 0 failed"
else
    status=1; echo "FAIL busy: make while ./tcpsim runs:"; head -5 "$tmp/out"; echo "busy: 0 passed, 1 failed"
fi
echo quit >&3
exec 3>&-
wait $pid
exit $status
