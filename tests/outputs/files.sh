#!/bin/sh
# files.sh - the JSON log and the capture are complete however a run ends
# (the end of input, a failed expectation, SIGTERM), can be started and
# stopped mid-session, and "-" writes the log to standard output.
# Needs python3 (to parse JSON) and tshark (to read captures).
set -u
TCPSIM=${1:-./tcpsim}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# jsonl FILE TYPE...: every line parses; prints the types, one per line.
jsonl() {
    python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(line)["type"])' "$1"
}
# packets FILE: how many packets tshark reads from a capture.
packets() { tshark -r "$1" 2>/dev/null | wc -l | tr -d ' '; }

HANDSHAKE='set isn client 100
set isn server 300
server listen
client connect'

# 1. A failed expectation ends the run; what happened before it is written.
printf '%s\nexpect client CLOSED\nclient close\n' "$HANDSHAKE" > "$tmp/fails.tcpsim"
"$TCPSIM" -q --json "$tmp/f.json" --pcap "$tmp/f.pcap" "$tmp/fails.tcpsim" 2>/dev/null
status=$?
[ $status -eq 1 ] && ok || bad "failed expectation: exit $status, expected 1"
types=$(jsonl "$tmp/f.json" | tr '\n' ' ')
case "$types" in
*"send deliver"*"error expect ") ok ;;
*) bad "failed expectation: the log is '$types', expected the handshake, then error and expect" ;;
esac
[ "$(packets "$tmp/f.pcap")" = 3 ] && ok || bad "failed expectation: $(packets "$tmp/f.pcap") packets, expected 3"
python3 -c 'import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
sys.exit(0 if last == {"t": 150, "type": "expect", "line": 5, "ok": False} else 1)' "$tmp/f.json" \
    && ok || bad "failed expectation: last line is $(tail -1 "$tmp/f.json")"

# 2. SIGTERM while tcpsim waits for input: every event so far is on disk,
#    before and after the signal.  The test waits for tcpsim by reading its
#    standard error (a blocking read of a FIFO), never by sleeping.
mkfifo "$tmp/in" "$tmp/err"
"$TCPSIM" -q --json "$tmp/t.json" --pcap "$tmp/t.pcap" < "$tmp/in" 2> "$tmp/err" &
pid=$!
exec 3> "$tmp/in" 4< "$tmp/err"
printf '%s\nnot-a-command\n' "$HANDSHAKE" >&3
read -r line <&4
case "$line" in *"unknown command 'not-a-command'"*) ok ;; *) bad "SIGTERM: stderr said '$line'" ;; esac
[ "$(packets "$tmp/t.pcap")" = 3 ] && ok || bad "while running: $(packets "$tmp/t.pcap") packets on disk, expected 3"
[ "$(jsonl "$tmp/t.json" | grep -c send)" = 3 ] && ok || bad "while running: the log on disk lacks the sends"
kill -TERM $pid
wait $pid
status=$?
exec 3>&- 4<&-
[ $status -eq 143 ] && ok || bad "SIGTERM: exit $status, expected 143 (killed by SIGTERM)"
[ "$(packets "$tmp/t.pcap")" = 3 ] && ok || bad "after SIGTERM: $(packets "$tmp/t.pcap") packets, expected 3"
[ "$(jsonl "$tmp/t.json" | tail -1)" = error ] && ok || bad "after SIGTERM: the log does not end with the error"

# 3. log json / capture started and stopped mid-session hold only what
#    happened while they were on.
printf '%s\nlog json %s\ncapture %s\nclient close\nlog off\ncapture off\nserver close\n' \
    "$HANDSHAKE" "$tmp/m.json" "$tmp/m.pcap" | "$TCPSIM" -q
[ "$(packets "$tmp/m.pcap")" = 2 ] && ok || bad "mid-session capture: $(packets "$tmp/m.pcap") packets, expected 2 (FIN, ACK)"
types=$(jsonl "$tmp/m.json" | tr '\n' ' ')
[ "$types" = "state send deliver signal state send deliver state " ] && ok || bad "mid-session log: '$types'"

# 4. --json - writes the log to standard output; text that is not UTF-8
#    in an error message still gives valid JSON.
printf 'client connect\n\377bad\n' | "$TCPSIM" -q --json - > "$tmp/stdout.json" 2>/dev/null
types=$(jsonl "$tmp/stdout.json" | tr '\n' ' ')
[ "$types" = "state send deliver send deliver signal state error " ] && ok || bad "--json -: '$types'"

echo "outputs: $pass passed, $fail failed"
[ $fail -eq 0 ]
