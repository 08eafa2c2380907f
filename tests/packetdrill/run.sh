#!/bin/sh
# run.sh - tcpsim --packetdrill: every script here passes; a deliberately
# wrong copy fails with packetdrill's script/actual pair; malformed
# scripts fail naming their line; -D chooses #ifdef branches; exit codes
# are those of --check.  Prints "N passed, N failed".
set -u
# The messages checked here are the English ones, whatever the machine's
# locale (tests/lang/english.py runs this under --lang zh_CN).
LC_ALL=C; export LC_ALL; unset LANGUAGE
TCPSIM=${1:-./tcpsim}
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }

# Every script passes, one PASS line each.
"$TCPSIM" --packetdrill "$dir"/*.pkt > "$tmp/out" 2> "$tmp/err"
status=$?
n=$(ls "$dir"/*.pkt | wc -l)
if [ $status -eq 0 ] && grep -qx "$n passed, 0 failed" "$tmp/out"; then ok; else ko "the scripts: status $status"; cat "$tmp/out" "$tmp/err"; fi

# -q: only the FAIL lines and the closing line.
"$TCPSIM" --packetdrill -q "$dir/passive-open.pkt" > "$tmp/out" 2>&1
if [ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "1 passed, 0 failed" ]; then ok; else ko "-q"; cat "$tmp/out"; fi

# A wrong copy (the ACK of the data off by one) fails at its line, with
# the script's packet beside the one tcpsim sent.
sed 's/^+0    > \. 1:1(0) ack 101 win 65435$/+0    > . 1:1(0) ack 102 win 65435/' "$dir/passive-open.pkt" > "$tmp/wrong.pkt"
if ! cmp -s "$dir/passive-open.pkt" "$tmp/wrong.pkt"; then ok; else ko "the wrong copy is not wrong"; fi
"$TCPSIM" --packetdrill "$tmp/wrong.pkt" > "$tmp/out" 2> "$tmp/err"
status=$?
if [ $status -eq 1 ] && grep -qx "FAIL $tmp/wrong.pkt" "$tmp/out" && grep -qx "0 passed, 1 failed" "$tmp/out"; then ok; else ko "wrong copy: status $status"; cat "$tmp/out"; fi
cat > "$tmp/want" <<EOF
$tmp/wrong.pkt:22: error handling packet: live packet field tcp_ack_seq: expected: 102 (0x66) vs actual: 101 (0x65)
script packet: 0.300 . 1:1(0) ack 102 win 65435
actual packet: 0.300 . 1:1(0) ack 101 win 65435
EOF
if cmp -s "$tmp/want" "$tmp/err"; then ok; else ko "wrong copy: the script/actual pair"; diff "$tmp/want" "$tmp/err"; fi

# A packet the kernel sends too late for its time fails as packetdrill's
# timing error: the second SYN comes 1 s after the first, not 0.5 s.
cat > "$tmp/late.pkt" <<'EOF'
0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0    connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
+0    > S 0:0(0) <...>
+0.5  > S 0:0(0) <...>
EOF
"$TCPSIM" --packetdrill "$tmp/late.pkt" > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qF "late.pkt:4: timed out waiting for packet: the kernel sent nothing by then" "$tmp/err"; then ok; else ko "late packet"; cat "$tmp/err"; fi
sed 's/^+0.5 /+0.9 /' "$tmp/late.pkt" > "$tmp/late01.pkt"     # 0.1 s before the retransmission
printf -- '--tolerance_usecs=200000\n' | cat - "$tmp/late01.pkt" > "$tmp/tolerant.pkt"
"$TCPSIM" --packetdrill "$tmp/tolerant.pkt" > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 0 ]; then ok; else ko "--tolerance_usecs=200000 takes a packet 0.1 s late"; cat "$tmp/err"; fi
"$TCPSIM" --packetdrill "$tmp/late01.pkt" > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qF "late01.pkt:4: timed out waiting for packet" "$tmp/err"; then ok; else ko "0.1 s late beyond 4 ms"; cat "$tmp/err"; fi
sed 's/^+0.5 /+1.5 /' "$tmp/late.pkt" > "$tmp/early.pkt"       # the retransmission comes at 1 s
"$TCPSIM" --packetdrill "$tmp/early.pkt" > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qxF "$tmp/early.pkt:4: error handling packet: timing error: expected outbound packet at 1.500 sec but happened at 1.000 sec; tolerance 0.004 sec" "$tmp/err" &&
   grep -qx "actual packet: 1.000 S 0:0(0) win 65535 <mss 1460>" "$tmp/err"; then ok; else ko "early packet"; cat "$tmp/err"; fi

# Malformed scripts: each error names the file, line and column.
check_error() {     # NAME MESSAGE, the script on stdin
    cat > "$tmp/$1.pkt"
    "$TCPSIM" --packetdrill "$tmp/$1.pkt" > "$tmp/out" 2> "$tmp/err"
    status=$?
    if [ $status -eq 1 ] && grep -qxF "$tmp/$1.pkt:$2" "$tmp/err" && grep -qx "FAIL $tmp/$1.pkt" "$tmp/out"; then
        ok
    else
        ko "$1: status $status"
        cat "$tmp/err"
    fi
}
check_error unknown-syscall "3:5: unknown system call 'poll': tcpsim runs socket, bind, listen, accept, connect, write, send, read, recv, shutdown and close, and accepts fcntl, getsockopt and setsockopt" <<'EOF'
0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0  listen(3, 1) = 0
+0  poll([{fd=3, events=POLLIN}], 1, 0) = 0
EOF
check_error bad-packet "2:13: expected '(' in START:END(LEN), found 'win'" <<'EOF'
0   listen(3, 1) = 0
+0  < S 0:0 win 65535
EOF
check_error bad-flags "1:7: 'Q' in 'Q' is not a TCP flag: write S F R P U, and . for ACK" <<'EOF'
0.1 < Q 0:0(0) win 65535
EOF
check_error time-backwards "3:1: time 0.100 goes backwards: the previous event is at 0.200 or later" <<'EOF'
0     listen(3, 1) = 0
0.2   < S 0:0(0) win 65535
0.1   > S. 0:0(0) ack 1
EOF
check_error star-inbound "2:1: event time * can only be used with outbound packets (>)" <<'EOF'
0     listen(3, 1) = 0
*     < S 0:0(0) win 65535
EOF
check_error unclosed-ifdef "2:1: #ifdef without #endif" <<'EOF'
0     listen(3, 1) = 0
#ifdef LINUX
+0    < S 0:0(0) win 65535
EOF

# -D NAME takes the #ifdef branch, the #else otherwise.
cat > "$tmp/ifdef.pkt" <<'EOF'
0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535
#ifdef TCPSIM
+0    > S. 0:0(0) ack 1 win 65535
#else
+0    > S. 0:0(0) ack 1 win 64240
#endif
EOF
if "$TCPSIM" --packetdrill -D TCPSIM "$tmp/ifdef.pkt" > /dev/null 2>&1; then ok; else ko "-D TCPSIM"; fi
"$TCPSIM" --packetdrill "$tmp/ifdef.pkt" > /dev/null 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qF "tcp_window: expected: 64240" "$tmp/err"; then ok; else ko "#else without -D"; cat "$tmp/err"; fi

# insecure_rst=1 is what makes the in-window RST reset: without it RFC
# 5961's challenge ACK keeps the connection.
sed 's/insecure_rst=1/insecure_rst=0/' "$dir/insecure-rst.pkt" > "$tmp/secure.pkt"
"$TCPSIM" --packetdrill "$tmp/secure.pkt" > /dev/null 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qF "secure.pkt:14: assertion failed: tcpi_state == TCP_CLOSE: the kernel is ESTABLISHED" "$tmp/err"; then ok; else ko "insecure_rst=0"; cat "$tmp/err"; fi

# Sysctls that tcpsim models change the setting; -v lists what is ignored.
cat > "$tmp/sysctl.pkt" <<'EOF'
`sysctl -q net.ipv4.tcp_timestamps=0 net.ipv4.tcp_rfc1337=1`
0     socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0    setsockopt(3, SOL_SOCKET, SO_RCVBUF, [1000], 4) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535
+0    > S. 0:0(0) ack 1 win 1000
EOF
"$TCPSIM" --packetdrill -v "$tmp/sysctl.pkt" > "$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -qF "> set rfc1337 on" "$tmp/out" && grep -qF "> set window 1000" "$tmp/out" &&
   grep -qF "sysctl.pkt:1: sysctl net.ipv4.tcp_timestamps=0 ignored: tcpsim does not model it" "$tmp/out"; then
    ok
else
    ko "sysctl and SO_RCVBUF"; cat "$tmp/out"
fi

# --translate prints the scenario: the script's lines as comments, the
# kernel's ISN pinned, an expect next per outbound packet.
"$TCPSIM" --packetdrill --translate "$dir/passive-open.pkt" > "$tmp/tr" 2> "$tmp/err"
if [ $? -eq 0 ] && grep -q '^set isn server [0-9]*$' "$tmp/tr" && grep -qx 'server listen backlog 1' "$tmp/tr" &&
   grep -qx 'inject client->server SYN seq=0 ack=0 len=0 win=65535.*' "$tmp/tr" &&
   [ "$(grep -c "^expect next server->client" "$tmp/tr")" -eq 3 ]; then
    ok
else
    ko "--translate"; cat "$tmp/tr" "$tmp/err"
fi

# Every lesson, exported for each endpoint with save --packetdrill, parses
# back and passes.
lessons=0
for f in "$dir"/../../scenarios/*.tcpsim; do
    b=$(basename "$f" .tcpsim)
    for ep in client server; do
        printf 'save --packetdrill %s %s\n' "$tmp/lesson-$b-$ep.pkt" $ep > "$tmp/save.tcpsim"
        "$TCPSIM" -q "$f" "$tmp/save.tcpsim" > /dev/null 2> "$tmp/err" || { ko "$b: the lesson fails"; cat "$tmp/err"; }
        lessons=$((lessons + 1))
    done
done
"$TCPSIM" --packetdrill "$tmp"/lesson-*.pkt > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 0 ] && grep -qx "$lessons passed, 0 failed" "$tmp/out"; then ok; else ko "exported lessons"; grep -v '^PASS' "$tmp/out"; cat "$tmp/err"; fi
# ... and say what they are: the close of RFC 9293 Figure 12, for the client.
cat > "$tmp/want" <<'EOF'
0.000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
0.000 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
0.000 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
0.000 > S 0:0(0) <mss 1460>
0.100 < S. 0:0(0) ack 1 win 65535 <mss 1460>
0.100 > . 1:1(0) ack 1
0.150 close(3) = 0
0.150 > F. 1:1(0) ack 1
0.250 < . 1:1(0) ack 2 win 65535
0.300 < F. 1:1(0) ack 2 win 65535
0.300 > . 2:2(0) ack 2
EOF
grep -v '^//\|^`\|^$' "$tmp/lesson-fig12-normal-close-client.pkt" > "$tmp/got"
if cmp -s "$tmp/want" "$tmp/got"; then ok; else ko "fig12 exported for the client"; diff "$tmp/want" "$tmp/got"; fi
if grep -q '^`sysctl -q -w net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0' "$tmp/lesson-fig12-normal-close-client.pkt"; then ok; else ko "the sysctl header"; fi
# A setting tcpsim models but no sysctl names travels as a tcpsim comment.
if grep -qx '// tcpsim: set msl 100ms' "$tmp/lesson-short-time-wait-client.pkt"; then ok; else ko "set msl as a directive"; fi
printf 'save --packetdrill %s\n' "$tmp/x.pkt" | "$TCPSIM" -q > /dev/null 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qF "save: usage: save FILE | save --packetdrill FILE ENDPOINT" "$tmp/err"; then ok; else ko "save --packetdrill without endpoint"; fi

# A session under --profile linux exports with that profile and Linux's
# rate limit, and runs back without the option; --profile reaches the
# runner too (the linux SYN,ACK offers 64240).
printf 'server listen\nclient connect\nclient send 3000\nclient close\nadvance 100ms\nserver close\nadvance 70s\nsave --packetdrill %s server\n' "$tmp/linux.pkt" |
    "$TCPSIM" -q --profile linux > /dev/null 2> "$tmp/err"
if grep -qx '// tcpsim: set profile linux' "$tmp/linux.pkt" && grep -q 'tcp_invalid_ratelimit=500 ' "$tmp/linux.pkt" &&
   "$TCPSIM" --packetdrill "$tmp/linux.pkt" > /dev/null 2>&1; then ok; else ko "--profile linux export"; cat "$tmp/err"; fi
"$TCPSIM" --profile linux --packetdrill "$dir/passive-open.pkt" > /dev/null 2> "$tmp/err"
if [ $? -eq 1 ] && grep -qx 'actual packet: 0.100 S. 0:0(0) ack 1 win 64240 <mss 1460>' "$tmp/err"; then ok; else ko "--profile linux --packetdrill"; cat "$tmp/err"; fi

# set server autoack off reaches the connection accept() returned (an
# exported lesson sets it after the handshake): the FIN goes unacknowledged.
printf 'server listen backlog 1\nclient connect\nserver accept\nset server autoack off\nclient close\nexpect last server->client SYN,ACK\n' |
    "$TCPSIM" -q > /dev/null 2> "$tmp/err"
if [ $? -eq 0 ]; then ok; else ko "set server autoack off after accept"; cat "$tmp/err"; fi

# Every script's translation runs as a scenario, its expectations holding
# (expect next for each outbound packet, expect ENDPOINT STATE for each
# assertion).
for f in "$dir"/*.pkt; do
    b=$(basename "$f" .pkt)
    "$TCPSIM" --packetdrill --translate "$f" > "$tmp/tr-$b.tcpsim" 2> "$tmp/err"
    if [ $? -eq 0 ] && "$TCPSIM" -q "$tmp/tr-$b.tcpsim" > /dev/null 2> "$tmp/err"; then ok; else ko "$b: the translation fails"; cat "$tmp/err"; fi
done
grep -q '^expect next client->server PSH,ACK seq=[0-9]* ack=1 len=500$' "$tmp/tr-active-open.tcpsim" && ok || ko "translation of a data segment"

# Exit codes as --check: 2 for an unreadable file, and usage errors.
"$TCPSIM" --packetdrill "$tmp/missing.pkt" > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 2 ] && grep -qF "cannot read $tmp/missing.pkt" "$tmp/err"; then ok; else ko "missing file"; fi
"$TCPSIM" --packetdrill > /dev/null 2>&1
if [ $? -eq 2 ]; then ok; else ko "--packetdrill without files"; fi
"$TCPSIM" --translate "$dir/passive-open.pkt" > /dev/null 2>&1
if [ $? -eq 2 ]; then ok; else ko "--translate without --packetdrill"; fi

echo "packetdrill: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
