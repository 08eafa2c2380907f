#!/bin/sh
# busy.sh - `make` while ./tcpsim runs (a student's REPL in another
# terminal): the new binary replaces the old one instead of failing with
# "Text file busy".  Run from the top of the tree after a build; MAKE is
# the make to call.
set -u
MAKE=${1:-make}
tmp=$(mktemp -d)
trap 'exec 3>&-; rm -rf "$tmp"' EXIT
mkfifo "$tmp/fifo"
./tcpsim -q < "$tmp/fifo" > /dev/null 2>&1 &
pid=$!
exec 3> "$tmp/fifo"         # the running tcpsim waits for commands
# -W: as if build/tcpsim were new, so ./tcpsim is replaced now.
if $MAKE -s -W build/tcpsim tcpsim > "$tmp/out" 2>&1 && cmp -s build/tcpsim tcpsim; then
    status=0; echo "busy: 1 passed, 0 failed"
else
    status=1; echo "FAIL busy: make while ./tcpsim runs:"; head -5 "$tmp/out"; echo "busy: 0 passed, 1 failed"
fi
echo quit >&3
exec 3>&-
wait $pid
exit $status
