#!/bin/sh
# errors.sh - every error path of the command parser and dispatcher.
#
# Each case runs a setup, then one bad command, in batch mode.  It asserts
# the exact message on stderr, exit status 1, and that the command changed
# nothing: `show` and `history` print the same with and without it.
set -u
TCPSIM=${1:-./tcpsim}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

SETUP='set isn client 100
set isn server 300
server listen
client connect'

check() {   # check NAME 'bad command' 'expected stderr'
    name=$1 bad=$2 want=$3
    printf '%s\nshow\nhistory\n' "$SETUP" > "$tmp/good"
    printf '%s\n%s\nshow\nhistory\n' "$SETUP" "$bad" > "$tmp/bad"
    "$TCPSIM" -q < "$tmp/good" > "$tmp/good.out" 2>&1
    "$TCPSIM" -q < "$tmp/bad" > "$tmp/bad.out" 2> "$tmp/bad.err"
    status=$?
    got=$(cat "$tmp/bad.err")
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: stderr is"; echo "  $got"; echo "expected"; echo "  $want"
        fail=$((fail + 1)); return
    fi
    if [ $status -ne 1 ]; then
        echo "FAIL $name: exit status $status, expected 1"; fail=$((fail + 1)); return
    fi
    if ! cmp -s "$tmp/good.out" "$tmp/bad.out"; then
        echo "FAIL $name: the failed command changed the simulation:"
        diff "$tmp/good.out" "$tmp/bad.out" | head -20
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}

check unknown_command 'conect' \
    "stdin:5: unknown command 'conect' (did you mean 'connect'?)"
check unknown_command_far 'frobnicate' \
    "stdin:5: unknown command 'frobnicate' (help lists the commands)"
check endpoint_alone 'client' \
    "stdin:5: client: what should the client do? e.g. 'client connect' (help lists the commands)"
check missing_endpoint 'connect' \
    "stdin:5: connect needs an endpoint: client connect or server connect"
check endpoint_not_wanted 'client step' \
    "stdin:5: step is not an endpoint's call: write 'step' alone (usage: step)"
check arity_too_many 'client close now' \
    "stdin:5: close: too many arguments; usage: ENDPOINT close"
check arity_missing 'client send' \
    "stdin:5: send: missing argument; usage: ENDPOINT send N | \"text\""
check wrong_state 'client connect' \
    "stdin:5: client connect: client is ESTABLISHED; connect needs CLOSED or LISTEN (connection already exists)"
check wrong_state_listen 'server listen' \
    "stdin:5: server listen: server is ESTABLISHED; listen needs CLOSED (connection already exists)"
check bad_number 'client send 12x' \
    "stdin:5: send: bad byte count '12x': write a whole number from 0 to 16777216"
check number_too_large 'client send 99999999999999999999999' \
    "stdin:5: send: bad byte count '99999999999999999999999': write a whole number from 0 to 16777216"
check zero_bytes 'client send 0' \
    "stdin:5: send: 0 bytes is nothing to send; write a count from 1, or \"text\""
check negative_seq 'inject c->s SYN seq=-1' \
    "stdin:5: inject: bad seq '-1': write a whole number from 0 to 4294967295"
check seq_beyond_2_32 'inject c->s SYN seq=4294967296' \
    "stdin:5: inject: seq 4294967296 is too large: at most 4294967295"
check bad_flags 'inject c->s SYNACK seq=1' \
    "stdin:5: inject: bad flags 'SYNACK': write e.g. SYN, SYN,ACK, ACK, FIN,ACK, RST, PSH,ACK"
check missing_seq 'inject c->s SYN ack=1' \
    "stdin:5: inject: seq=N is required; usage: inject DIR FLAGS seq=N [ack=N] [len=N] [win=N] [sport=N] [mss=N] [by=attacker|network]"
check mss_too_large 'inject c->s SYN seq=1 mss=70000' \
    "stdin:5: inject: mss 70000 is too large: at most 65535"
check bad_direction 'inject c-s SYN seq=1' \
    "stdin:5: inject: bad direction 'c-s': write client->server or server->client (c->s, s->c)"
check duration_no_unit 'advance 5' \
    "stdin:5: advance: duration '5' has no unit: write 5ms, 5s or 5m"
check duration_bad 'advance 5h' \
    "stdin:5: advance: bad duration '5h': write a number and a unit, e.g. 250ms, 1s, 2m"
check duration_overflow 'advance 99999999999999999999s' \
    "stdin:5: advance: bad duration '99999999999999999999s': write a number and a unit, e.g. 250ms, 1s, 2m"
check duration_too_long 'advance 31000000s' \
    "stdin:5: advance: duration '31000000s' is too long: at most 30 days"
check unknown_segment 'deliver #99' \
    "stdin:5: deliver #99: no such segment; write an id shown by history"
check segment_not_in_flight 'drop #1' \
    "stdin:5: drop #1: segment is not in flight; write an id shown by inflight"
check bad_segment_id 'replay 3' \
    "stdin:5: replay: bad segment id '3': write # and its number, e.g. #3 (see history)"
check replay_unknown 'replay #42' \
    "stdin:5: replay #42: no such segment; write an id shown by history"
check bad_percent 'loss 150' \
    "stdin:5: loss: bad percentage '150': write a number from 0 to 100, e.g. 10 or 12.5%"
check unknown_setting 'set colour on' \
    "stdin:5: set: unknown setting 'colour'; the settings are delivery autoack autoread isn latency msl mss window retries syn-retries rfc1337 rto seed relative explain handshake isn-mode syncookies numbers steps profile ratelimit width theme"
check read_nothing 'server read' \
    "stdin:5: server read: server is ESTABLISHED; read needs data in the receive buffer (set ENDPOINT autoread off keeps it there) (no data waiting to be read)"
check read_bad_count 'server read 12x' \
    "stdin:5: read: bad byte count '12x': write a whole number from 0 to 4294967295"
check autoread_bad 'set client autoread maybe' \
    "stdin:5: set autoread: bad value 'maybe': write on or off"
check width_too_narrow 'set width 59' \
    "stdin:5: set width: 59 is too small: at least 60"
check bad_theme 'set theme blue' \
    "stdin:5: set theme: write dark (a dark screen) or light (a white screen, a projector)"
check endpoint_did_you_mean 'sever listen' \
    "stdin:5: unknown endpoint 'sever' (did you mean 'server'?)"
check flags_did_you_mean 'inject c->s SYN,AKC seq=1' \
    "stdin:5: inject: bad flags 'SYN,AKC' (did you mean 'SYN,ACK'?)"
check drop_flags_did_you_mean 'drop next c->s FNI' \
    "stdin:5: drop next: bad flags 'FNI' (did you mean 'FIN'?)"
check setting_did_you_mean 'set handshak two-way' \
    "stdin:5: set: unknown setting 'handshak' (did you mean 'handshake'?)"
check shutdown_needs_an_endpoint 'shutdown' \
    "stdin:5: shutdown needs an endpoint: client shutdown or server shutdown"
check bad_onoff 'set explain maybe' \
    "stdin:5: set explain: bad value 'maybe': write on or off"
check unterminated_string 'client send "hello' \
    "stdin:5: unterminated string: close it with \""
check step_nothing 'step' \
    "stdin:5: step: nothing to do: no segment in flight and no timer armed"
check advance_no_timer 'advance' \
    "stdin:5: advance: no timer is armed; give a duration, e.g. advance 1s"
check show_not_endpoint 'show bogus' \
    "stdin:5: show: 'bogus' is not an endpoint; write show, show client or show server"
check accept_without_backlog 'server accept' \
    "stdin:5: server accept: no listener with a backlog; accept needs server listen backlog N first"
check client_accept 'client accept' \
    "stdin:5: client accept: accept is a listener's call: server accept"
check listen_backlog_zero 'server listen backlog 0' \
    "stdin:5: listen: a backlog of 0 takes no SYN; write 1 to 1024"
check flood_zero 'flood 0' \
    "stdin:5: flood: 0 SYNs is no flood; write 1 to 10000"
check flood_bad_ports 'flood 3 from 60000-50000' \
    "stdin:5: flood: ports '60000-50000' must run from 1 to 65535, first to last"
check log_unwritable "log json $tmp/no/such/dir/log.json" \
    "stdin:5: log: cannot write the JSON log $tmp/no/such/dir/log.json: No such file or directory; choose another path"
check log_off_none 'log off' \
    "stdin:5: log off: no JSON log is open; start one with: log json FILE"
check log_not_json 'log yaml x.yaml' \
    "stdin:5: log: usage: log json FILE | log off (FILE - is standard output)"
check capture_unwritable "capture $tmp/no/such/dir/x.pcap" \
    "stdin:5: capture: cannot write the capture $tmp/no/such/dir/x.pcap: No such file or directory; choose another path"
check capture_off_none 'capture off' \
    "stdin:5: capture off: no capture is open; start one with: capture FILE"
check export_unwritable "export svg $tmp/no/such/dir/x.svg" \
    "stdin:5: export: cannot write the picture $tmp/no/such/dir/x.svg: No such file or directory; choose another path"
check export_bad_kind "export png $tmp/x.png" \
    "stdin:5: export: cannot export 'png': write export svg FILE or export html FILE"
check export_no_file 'export svg' \
    "stdin:5: export: missing argument; usage: export svg|html FILE"
check mss_beyond_ipv4 'set mss 65496' \
    "stdin:5: set mss: mss 65496 is too large: at most 65495"

# A malformed expectation stops the script like a failed one: message, exit 1.
expect_fails() {   # expect_fails NAME 'expect line(s)' 'expected stderr'
    printf '%s\n%s\n' "$SETUP" "$2" > "$tmp/exp.tcpsim"
    "$TCPSIM" -q "$tmp/exp.tcpsim" > /dev/null 2> "$tmp/exp.err"
    status=$?
    if [ "$(cat "$tmp/exp.err")" = "$3" ] && [ $status -eq 1 ]; then
        pass=$((pass + 1))
    else
        echo "FAIL $1: status $status, stderr: $(cat "$tmp/exp.err")"; fail=$((fail + 1))
    fi
}
expect_fails expect_not_a_state 'expect client OPEN' \
    "$tmp/exp.tcpsim:5: expect: 'OPEN' is not a state; write e.g. ESTABLISHED, SYN-RECEIVED or TIME_WAIT"
expect_fails expect_unknown_field 'expect client snd.max=3' \
    "$tmp/exp.tcpsim:5: expect: unknown field 'snd.max=3'; the fields are iss irs snd.una snd.nxt rcv.nxt snd.wnd rcv.wnd"
expect_fails expect_error_without_error 'expect error' \
    "$tmp/exp.tcpsim:5: expected an error from the previous command, got none"
expect_fails failed_expect 'expect client SYN-SENT' \
    "$tmp/exp.tcpsim:5: expected client SYN-SENT, got ESTABLISHED"
expect_fails failed_expect_field 'expect server snd.nxt=300' \
    "$tmp/exp.tcpsim:5: expected server snd.nxt=300, got 301"
expect_fails failed_expect_last 'expect last c->s SYN' \
    "$tmp/exp.tcpsim:5: expected last c->s SYN, got #3 ACK seq=101 ack=301"

# The expectations of SPEC 4 that read the wire and the timers (#1 SYN,
# #2 SYN,ACK, #3 ACK after the setup), each error and each failure.
E="$tmp/exp.tcpsim"
SEG='[seq=N] [ack=N] [len=N] [win=N] [mss=N]'
expect_fails expect_bare 'expect' \
    "$E:5: expect: missing argument; usage: expect CHECK"
expect_fails expect_unknown_check 'expect sideways' \
    "$E:5: expect: usage: expect ENDPOINT STATE | ENDPOINT FIELD=N ... | last DIR FLAGS [SEG...] | #ID FLAGS [SEG...] | next DIR FLAGS [SEG...] | none [DIR] | timer ENDPOINT KIND [in DUR] | inflight N | error (help expect explains each)"
expect_fails expect_last_bad_flags 'expect last c->s SYNACK' \
    "$E:5: expect last: bad flags 'SYNACK': write e.g. SYN, SYN,ACK, ACK, FIN,ACK, RST"
expect_fails expect_last_unknown_field 'expect last c->s ACK sport=80' \
    "$E:5: expect last: unknown field 'sport=80'; write seq=N, ack=N, len=N, win=N or mss=N (mss=0: no MSS option)"
expect_fails expect_last_win 'expect last c->s ACK win=1000' \
    "$E:5: expected last c->s ACK win=1000, got #3 ACK seq=101 ack=301 win=65535"
expect_fails expect_last_mss 'expect last c->s ACK mss=1460' \
    "$E:5: expected last c->s ACK mss=1460, got #3 ACK seq=101 ack=301 no MSS option"
expect_fails expect_win_too_large 'expect last c->s ACK win=70000' \
    "$E:5: expect last: win 70000 is too large: at most 65535"
expect_fails expect_id_zero 'expect #0 SYN' \
    "$E:5: expect: bad segment id '#0': write # and its number, e.g. #3 (see history)"
expect_fails expect_id_usage 'expect #3' \
    "$E:5: expect #3: usage: expect #ID FLAGS $SEG"
expect_fails expect_id_twice 'expect #3 ACK seq=101 seq=101' \
    "$E:5: expect #3: seq= is given twice; write each field once"
expect_fails expect_id_unsent 'expect #9 SYN' \
    "$E:5: expected #9 SYN, got no segment #9 (3 sent so far)"
expect_fails expect_id_mismatch 'expect #2 SYN,ACK seq=301' \
    "$E:5: expected #2 SYN,ACK seq=301, got #2 SYN,ACK seq=300 ack=101"
expect_fails expect_next_usage 'expect next c->s' \
    "$E:5: expect next: usage: expect next DIR FLAGS $SEG"
expect_fails expect_next_bad_direction 'expect next c-s SYN' \
    "$E:5: expect next: bad direction 'c-s': write client->server or server->client (c->s, s->c)"
expect_fails expect_next_mismatch 'expect next c->s ACK' \
    "$E:5: expected next c->s ACK, got #1 SYN seq=100"
expect_fails expect_next_nothing_more "expect next s->c SYN,ACK
expect next s->c ACK" \
    "$E:6: expected next s->c ACK, got nothing more sent s->c (expect next took every segment so far)"
expect_fails expect_none_sent 'expect none s->c' \
    "$E:5: expected nothing sent s->c since the last expect next or expect none, got #2 SYN,ACK seq=300 ack=101"
expect_fails expect_none_both 'expect none' \
    "$E:5: expected nothing sent since the last expect next or expect none, got #1 SYN seq=100 and 2 more"
expect_fails expect_none_usage 'expect none c->s s->c' \
    "$E:5: expect none: usage: expect none [DIR]"
expect_fails expect_none_bad_direction 'expect none sideways' \
    "$E:5: expect none: bad direction 'sideways': write client->server or server->client (c->s, s->c)"
expect_fails expect_timer_usage 'expect timer client' \
    "$E:5: expect timer: usage: expect timer ENDPOINT retransmit|persist|time-wait|fin-wait-2|none [in DUR]"
expect_fails expect_timer_not_in 'expect timer client retransmit at 1s' \
    "$E:5: expect timer: usage: expect timer ENDPOINT retransmit|persist|time-wait|fin-wait-2|none [in DUR]"
expect_fails expect_timer_endpoint 'expect timer router none' \
    "$E:5: expect timer: 'router' is not an endpoint; write client or server"
expect_fails expect_timer_kind 'expect timer client keepalive' \
    "$E:5: expect timer: unknown timer 'keepalive'; the timers are retransmit persist time-wait fin-wait-2, or none"
expect_fails expect_timer_none_in 'expect timer client none in 1s' \
    "$E:5: expect timer: none takes no 'in DUR'; write expect timer client none"
expect_fails expect_timer_duration 'expect timer client retransmit in 5' \
    "$E:5: expect timer: duration '5' has no unit: write 5ms, 5s or 5m"
expect_fails expect_timer_not_armed 'expect timer client retransmit' \
    "$E:5: expected client retransmit timer, got no timer armed"
expect_fails expect_timer_fin_wait_2 'expect timer client fin-wait-2' \
    "$E:5: expected client fin-wait-2 timer, got no timer armed"
expect_fails expect_timer_wrong_time "drop next c->s
client send 10
expect timer client retransmit in 2s" \
    "$E:7: expected client retransmit timer in 2s, got retransmit in 1s"
expect_fails expect_timer_none_armed "drop next c->s
client send 10
expect timer client none" \
    "$E:7: expected client no timer armed, got retransmit in 1s"

# Each form passes where it holds: exit 0, nothing on stderr.
expect_passes() {   # expect_passes NAME 'lines'
    printf '%s\n%s\n' "$SETUP" "$2" > "$tmp/pass.tcpsim"
    "$TCPSIM" -q "$tmp/pass.tcpsim" > /dev/null 2> "$tmp/pass.err"
    status=$?
    if [ $status -eq 0 ] && [ ! -s "$tmp/pass.err" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL $1: status $status, stderr: $(cat "$tmp/pass.err")"; fail=$((fail + 1))
    fi
}
expect_passes expect_forms_hold 'expect #3 ACK seq=101 ack=301 len=0 win=65535 mss=0
expect last c->s ACK seq=101 ack=301 win=65535 mss=0
expect next c->s SYN seq=100
expect next s->c SYN,ACK seq=300 ack=101
expect next c->s ACK seq=101 ack=301 len=0
expect none
expect timer client none
expect timer server none
client close
expect next c->s FIN,ACK seq=101 ack=301
expect next s->c ACK seq=301 ack=102
expect none c->s
expect timer client none
server close
expect next s->c FIN,ACK seq=301 ack=102
expect next c->s ACK seq=102 ack=302
expect none
expect timer client time-wait in 59950ms
expect timer client TIME_WAIT
expect timer server none'
# A zero window (RFC 9293 3.8.6.1): the sender probes on its persist
# timer, 1 s and then backing off; reading opens the window and the timer
# stops once everything is acknowledged.
ZERO_WINDOW='reset
set isn client 100
set isn server 300
set window 4380
set server autoread off
server listen
client connect
client send 6000
expect last s->c ACK seq=301 ack=4481 win=0'
expect_passes expect_timer_persist "$ZERO_WINDOW
expect timer client persist in 1s
expect timer server none
advance
expect last c->s ACK seq=4481 ack=301 len=1
expect timer client persist in 1900ms
server read
expect timer client none"
expect_fails expect_timer_persist_time "$ZERO_WINDOW
expect timer client persist in 2s" \
    "$E:14: expected client persist timer in 2s, got persist in 1s"
expect_passes expect_timer_retransmit 'expect next c->s SYN
expect next c->s ACK
drop next c->s
client send 10
expect timer client retransmit in 1s
advance 250ms
expect timer client retransmit in 750ms
expect next c->s PSH,ACK seq=101 ack=301 len=10
advance 1s
expect next c->s PSH,ACK seq=101 ack=301 len=10
expect next s->c SYN,ACK
expect next s->c ACK seq=301 ack=111
expect none'

# -q prints nothing but errors and failed expectations.
printf '%s\nclient close\n' "$SETUP" | "$TCPSIM" -q > "$tmp/quiet.out" 2>&1
if [ -s "$tmp/quiet.out" ]; then echo "FAIL quiet: it printed"; head -3 "$tmp/quiet.out"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

# A command error that `expect error` takes is no failure: exit 0.
printf '%s\nclient connect\nexpect error\nexpect client ESTABLISHED\n' "$SETUP" > "$tmp/ok.tcpsim"
if "$TCPSIM" -q "$tmp/ok.tcpsim" > /dev/null 2>&1; then pass=$((pass + 1)); else echo "FAIL expect_error_takes_it"; fail=$((fail + 1)); fi

# Unreadable and missing files, and usage errors, exit 2.
for args in "$tmp/missing.tcpsim" "$tmp" "--check" "--nonsense" "--seed x" "--update x" \
            "--json $tmp/no/dir/x.json" "--pcap $tmp/no/dir/x.pcap" "--check --json x.json $tmp/ok.tcpsim" \
            "--svg $tmp/no/dir/x.svg $tmp/ok.tcpsim" "--html $tmp/no/dir/x.html $tmp/ok.tcpsim" \
            "--check --svg x.svg $tmp/ok.tcpsim"; do
    # shellcheck disable=SC2086
    "$TCPSIM" $args < /dev/null > /dev/null 2>&1
    status=$?
    if [ $status -eq 2 ]; then pass=$((pass + 1)); else echo "FAIL exit 2 for '$args': got $status"; fail=$((fail + 1)); fi
done

echo "errors: $pass passed, $fail failed"
[ $fail -eq 0 ]
