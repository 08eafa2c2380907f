#!/bin/sh
# profiles.sh - set profile, --profile, and tcpsim --compare A,B FILE: the
# settings a profile brings and what overrides them, save, explain, the
# reviewed side-by-side transcript of a lesson, and the errors.
# Usage: sh tests/cli/profiles.sh ./tcpsim ; ends "profiles: N passed, N failed".
T=${1:-./tcpsim}
cd "$(dirname "$0")/../.." || exit 2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# The lesson against its reviewed transcript.
out=$("$T" --compare rfc9293,linux scenarios/linux-three-segment-close.tcpsim)
if [ "$out" = "$(cat scenarios/linux-three-segment-close.compare)" ]; then ok; else
    bad "three-segment close differs from scenarios/linux-three-segment-close.compare:"
    echo "$out" | diff -u scenarios/linux-three-segment-close.compare - | sed 's/^/  /'
fi
# Within 80 columns, no trailing blanks.
if echo "$out" | awk 'length($0) > 80 || / $/ { exit 1 }'; then ok; else bad "a line is too wide or ends in a blank"; fi
# One profile: compared with rfc9293.
one=$("$T" --compare linux scenarios/linux-three-segment-close.tcpsim)
[ "$one" = "$out" ] && ok || bad "--compare linux is not --compare rfc9293,linux"

# Usage errors: a message naming the fix, status 2.
expect_usage() {    # expect_usage WORDS-IN-MESSAGE ARGS...
    want=$1; shift
    err=$("$T" "$@" 2>&1 >/dev/null); st=$?
    if [ $st -eq 2 ] && echo "$err" | grep -q -- "$want"; then ok; else
        bad "tcpsim $*: status $st, message '$err' (wanted 2 and '$want')"; fi
}
expect_usage "write two profiles" --compare rfc9293,bsd scenarios/tour.tcpsim
expect_usage "write two profiles" --compare a,b,c scenarios/tour.tcpsim
expect_usage "takes one scenario" --compare rfc9293,linux
expect_usage "takes one scenario" --check --compare rfc9293,linux scenarios/tour.tcpsim
expect_usage "cannot read" --compare rfc9293,linux scenarios/no-such-file.tcpsim
expect_usage "bad --profile 'bsd': write rfc9293|rfc793|linux" --profile bsd scenarios/tour.tcpsim

# set profile: the rules and defaults together; a later set overrides one.
has() {     # has NAME PATTERN TEXT
    if echo "$3" | grep -q -- "$2"; then ok; else bad "$1: no '$2' in:"; echo "$3" | sed 's/^/  /'; fi
}
out=$(printf 'set profile linux\nset window 1000\nset\n' | "$T" 2>&1)
has "set shows the profile" "profile   linux" "$out"
has "linux brings the RTO floor" "rto       1s initial, 200ms floor" "$out"
has "linux brings the rate limit" "ratelimit 500ms" "$out"
has "a later set overrides" "window    1000" "$out"
out=$(printf 'set profile bsd\nset\n' | "$T" 2>&1); st=$?
has "an unknown profile names the choices" "set profile: no profile 'bsd': write rfc9293|rfc793|linux" "$out"
has "an unknown profile changes nothing" "profile   rfc9293" "$out"
[ $st -eq 1 ] && ok || bad "set profile bsd: status $st, wanted 1"
out=$("$T" --profile rfc793 -q /dev/stdin <<'IN' 2>&1
set
IN
)
has "--profile chooses it" "profile   rfc793" "$out"
# save writes the profile first
tmp=$(mktemp); rm -f "$tmp"
printf 'server listen\nsave %s\n' "$tmp" | "$T" --profile linux -q >/dev/null 2>&1
[ "$(sed -n 2p "$tmp" 2>/dev/null)" = "set profile linux" ] && ok || bad "save did not write set profile linux first: $(cat "$tmp" 2>/dev/null)"
rm -f "$tmp"
# explain names the profile of a rule that differs from RFC 9293
out=$(printf 'set explain on\n' | cat - scenarios/linux-time-wait-reuse.tcpsim | "$T" 2>&1)
has "explain says linux:" "why: linux: SYN above RCV.NXT in TIME-WAIT: reopened" "$out"
out=$(printf 'set explain on\n' | cat - scenarios/rfc793-blind-rst.tcpsim | "$T" 2>&1)
has "explain says rfc793:" "why: rfc793: rcv RST in the window: connection reset" "$out"
# shutdown is CLOSE in every profile; close under linux orphans (FIN-WAIT-2 timeout)
out=$(printf 'set profile linux\nserver listen\nclient connect\nclient shutdown\nadvance 100ms\nexpect timer client none\nadvance 61s\nexpect client FIN-WAIT-2\n' | "$T" 2>&1)
[ $? -eq 0 ] && ok || bad "shutdown under linux: $out"
out=$(printf 'set profile linux\nserver listen\nclient connect\nclient close\nadvance 100ms\nexpect timer client fin-wait-2\nadvance 61s\nexpect client CLOSED\n' | "$T" 2>&1)
[ $? -eq 0 ] && ok || bad "close under linux: $out"
has "FIN-WAIT-2 timeout shown" "FIN-WAIT-2 timeout" "$out"
# reset names the profile it keeps, and measures the rest against it
out=$(printf 'set profile linux\nset ratelimit 0ms\nreset\n' | "$T" 2>&1)
has "reset keeps the profile" "settings kept (not the defaults): profile linux, ratelimit 0ms" "$out"
if echo "$out" | grep -q "window 64240"; then bad "reset lists linux's own window as a change"; else ok; fi
# close() after shutdown() is fine under linux; a second close() is not
out=$(printf 'set profile linux\nserver listen\nclient connect\nclient shutdown\nclient close\nclient close\n' | "$T" 2>&1)
has "close after shutdown orphans" "linux: close() after shutdown(): orphaned, nothing is sent" "$out"
has "a second close fails" "client close: client is FIN-WAIT-1; close needs" "$out"
# undo takes set profile back, window and all
out=$(printf 'set profile linux\nundo\nserver listen\nclient connect\nset\n' | "$T" 2>&1)
has "undo restores the profile" "profile   rfc9293" "$out"
if echo "$out" | grep -q "win=65535"; then bad "after undo the ladder still marks win=65535"; else ok; fi
echo "profiles: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
