#!/bin/sh
# badinput.sh - the bad-input table: what students type and what course
# files hold when they are broken.  Each row gives the input, the exit
# status SPEC section 2 requires (0, 1 a command error, 2 a usage error or
# unreadable file) and the message on stderr (a fixed substring; '' means
# stderr must be empty).  Every run must end by itself: no crash, no
# sanitizer report, no signal but the SIGPIPE of a closed pipe.
set -u
TCPSIM=${1:-./tcpsim}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# row NAME STATUS 'stderr substring' COMMAND... (stdin from $tmp/in)
row() {
    name=$1 want_status=$2 want_err=$3
    shift 3
    "$@" < "$tmp/in" > "$tmp/out" 2> "$tmp/err"
    status=$?
    if [ $status -ne "$want_status" ]; then
        echo "FAIL $name: exit $status, expected $want_status"; head -c 600 "$tmp/err"
        fail=$((fail + 1)); return
    fi
    if [ -z "$want_err" ]; then
        if [ -s "$tmp/err" ]; then
            echo "FAIL $name: expected no message, got:"; head -c 600 "$tmp/err"; fail=$((fail + 1)); return
        fi
    elif ! grep -qF -- "$want_err" "$tmp/err"; then
        echo "FAIL $name: stderr lacks '$want_err':"; head -c 600 "$tmp/err"; fail=$((fail + 1)); return
    fi
    if grep -q "Sanitizer\|runtime error" "$tmp/err"; then
        echo "FAIL $name: a sanitizer report"; head -c 600 "$tmp/err"; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# input 'printf format' args...: what the next row reads on stdin
input() { fmt=$1; shift; printf "$fmt" "$@" > "$tmp/in"; }

input '\n\n   \n\t\n'
row empty_lines 0 '' "$TCPSIM" -q

python3 -c "import sys; sys.stdout.write('x' * 1048576 + '\n')" > "$tmp/in"
row one_mib_word 1 "stdin:1: unknown command 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' (help lists the commands)" "$TCPSIM" -q
if [ "$(wc -c < "$tmp/err")" -lt 200 ]; then pass=$((pass + 1)); else echo "FAIL one_mib_word: the message echoes the whole line"; fail=$((fail + 1)); fi

python3 -c "import sys; sys.stdout.write('x' * 5000000 + '\nserver listen\n')" > "$tmp/in"
row five_mib_line_stops 1 "stdin:1: the line is longer than 4 MiB: scenario files are text; stopped reading stdin" "$TCPSIM" -q
: > "$tmp/in"
row dev_zero_as_scenario 1 "/dev/zero:1: the line is longer than 4 MiB" "$TCPSIM" -q /dev/zero

python3 -c "import sys; sys.stdout.write('client send ' + 'a ' * 524288 + '\n')" > "$tmp/in"
row one_mib_of_words 1 "stdin:1: too many words on one line (at most 32)" "$TCPSIM" -q

python3 -c "import sys; sys.stdout.write('server listen\nclient connect\nclient send \"' + 'a' * 1048576 + '\"\nexpect server rcv.nxt=' + str(100 + 1 + 1048576) + '\n')" > "$tmp/in"
echo 'set isn client 100' | cat - "$tmp/in" > "$tmp/in2" && mv "$tmp/in2" "$tmp/in"
row one_mib_text_is_sent 0 '' "$TCPSIM" -q

input 'server listen\nclient\000connect\nexpect server LISTEN\n'
row nul_byte 1 "stdin:2: the line holds a NUL byte: scenario files are text" "$TCPSIM" -q

python3 -c "import sys, random; r = random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))" > "$tmp/in"
row binary_bytes 1 "stdin:" "$TCPSIM" -q

input 'client conn\303\050ect\n'
row invalid_utf8 1 "stdin:1: unknown command 'conn" "$TCPSIM" -q

input 'set isn client 4294967296\n'
row number_past_2_32 1 "stdin:1: set isn: ISN 4294967296 is too large: at most 4294967295" "$TCPSIM" -q
input 'set isn client -1\n'
row negative_number 1 "stdin:1: set isn: bad ISN '-1': write a whole number from 0 to 4294967295" "$TCPSIM" -q
input 'inject c->s SYN seq=99999999999999999999\n'
row huge_seq 1 "stdin:1: inject: bad seq '99999999999999999999': write a whole number from 0 to 4294967295" "$TCPSIM" -q
input 'loss 101\n'
row percent_past_100 1 "stdin:1: loss:" "$TCPSIM" -q

input 'advance 5\n'
row duration_without_unit 1 "stdin:1: advance: duration '5' has no unit: write 5ms, 5s or 5m" "$TCPSIM" -q
input 'advance 99999999999999999999s\n'
row duration_overflow 1 "stdin:1: advance: bad duration '99999999999999999999s': write a number and a unit, e.g. 250ms, 1s, 2m" "$TCPSIM" -q
input 'set latency 18446744073709551615ms\n'
row duration_past_uint64 1 "stdin:1: set latency: bad duration '18446744073709551615ms'" "$TCPSIM" -q
input 'advance -1s\n'
row negative_duration 1 "stdin:1: advance: bad duration '-1s'" "$TCPSIM" -q

input 'drop #999\n'
row unknown_segment_id 1 "stdin:1: drop #999: no such segment; write an id shown by history" "$TCPSIM" -q
input 'deliver #0\n'
row segment_id_zero 1 "stdin:1: deliver: bad segment id '#0': write # and its number, e.g. #3 (see history)" "$TCPSIM" -q
input 'replay #4294967296\n'
row segment_id_past_2_32 1 "stdin:1: replay: bad segment id '#4294967296'" "$TCPSIM" -q

: > "$tmp/in"
row missing_file 2 "tcpsim: cannot read $tmp/none.tcpsim: No such file or directory" "$TCPSIM" "$tmp/none.tcpsim"
row directory_file 2 "tcpsim: cannot read $tmp: Is a directory" "$TCPSIM" "$tmp"
row check_missing_file 2 "tcpsim: cannot read $tmp/none.tcpsim: No such file or directory" "$TCPSIM" --check "$tmp/none.tcpsim"
printf 'server listen\n' > "$tmp/locked.tcpsim"
chmod 000 "$tmp/locked.tcpsim"
if [ "$(id -u)" -ne 0 ]; then
    row unreadable_file 2 "tcpsim: cannot read $tmp/locked.tcpsim: Permission denied" "$TCPSIM" "$tmp/locked.tcpsim"
else
    echo "(unreadable_file: root reads any file; the row runs as a normal user)"
fi

input 'server listen\nexpect server CLOSED'
row eof_mid_line_still_runs 1 "stdin:2: expected server CLOSED, got LISTEN" "$TCPSIM" -q
input 'client send "never closed'
row eof_inside_a_string 1 "stdin:1: unterminated string: close it with \"" "$TCPSIM" -q

: > "$tmp/in"
row stdout_closed 1 "tcpsim: writing the transcript failed" sh -c "exec \"$TCPSIM\" scenarios/tour.tcpsim >&-"

# A reader that goes away: tcpsim dies of SIGPIPE (exit 141) as cat does,
# silently, whatever it was writing.
python3 -c "import sys; sys.stdout.write('help\n' * 2000)" > "$tmp/in"
( "$TCPSIM" < "$tmp/in" 2> "$tmp/err"; echo $? > "$tmp/status" ) | head -1 > /dev/null
status=$(cat "$tmp/status")
if [ "$status" -eq 141 ] && [ ! -s "$tmp/err" ]; then pass=$((pass + 1)); else
    echo "FAIL stdout_pipe_closed: exit $status, stderr:"; head -c 300 "$tmp/err"; fail=$((fail + 1)); fi

: > "$tmp/in"
row bad_option_value 2 "tcpsim: bad --seed 'x'" "$TCPSIM" --seed x
row seed_past_2_32 2 "tcpsim: bad --seed '4294967296'" "$TCPSIM" --seed 4294967296

# Output files that cannot be written (a full disk): an error naming the
# file and the reason; on the command line, exit 2.
input 'server listen\nclient connect\n'
row json_dev_full 2 "writing the JSON log /dev/full failed: No space left on device" "$TCPSIM" -q --json /dev/full
row pcap_dev_full 2 "tcpsim: cannot write the capture /dev/full: No space left on device" "$TCPSIM" -q --pcap /dev/full
row json_dev_full_no_transcript 2 "stdin:1: writing the JSON log /dev/full failed" "$TCPSIM" --json /dev/full
input 'log json /dev/full\nserver listen\nclient connect\nexpect client ESTABLISHED\n'
row log_json_dev_full 2 "stdin:2: writing the JSON log /dev/full failed: No space left on device; it is closed" "$TCPSIM" -q
input 'capture /dev/full\nserver listen\n'
row capture_dev_full 1 "stdin:1: capture: cannot write the capture /dev/full: No space left on device" "$TCPSIM" -q
input 'server listen\nsave /dev/full\n'
row save_dev_full 1 "stdin:2: save: writing /dev/full failed: No space left on device" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('server listen\n' + 'client send 60000\n' * 300 + 'save /dev/full\n')" > "$tmp/in"
row save_dev_full_long 1 "save: writing /dev/full failed: No space left on device" "$TCPSIM" -q
# A pcap timestamp holds 2^32 seconds: past them the capture stops, said so.
python3 -c "import sys; sys.stdout.write('advance 43200m\n' * 1658 + 'server listen\nclient connect\n')" > "$tmp/in"
row pcap_time_past_2_32_s 2 "writing the capture $tmp/late.pcap stopped: the clock passed 2^32 s" "$TCPSIM" -q --pcap "$tmp/late.pcap"

# Line endings and quotes.
input 'server listen\rclient connect\rexpect client ESTABLISHED\r'
row cr_only_line_endings 0 '' "$TCPSIM" -q
input 'server listen\r\nclient connect\r\nexpect client ESTABLISHED\r\n'
row crlf_line_endings 0 '' "$TCPSIM" -q
input 'set isn client 100\nserver listen\nclient connect\nclient send "a\rb"\nclient close\nundo\nexpect client snd.nxt=104\nexpect client ESTABLISHED\n'
row cr_inside_quotes_kept_by_undo 0 '' "$TCPSIM" -q
input 'set isn client 100\rserver listen\rclient connect\rclient send "a\rb"\rexpect client snd.nxt=104\r'
row cr_inside_quotes_in_a_cr_file 0 '' "$TCPSIM" -q
input 'server listen # a "quote\rexpect server CLOSED\r'
row cr_after_comment_with_quote 1 "stdin:2: expected server CLOSED, got LISTEN" "$TCPSIM" -q

# Numbers at their edges.
input 'server listen\nclient connect\nclient send -1\n'
row send_negative_count 1 "stdin:3: send: bad byte count '-1': write a count from 1 to 16777216" "$TCPSIM" -q
input 'server listen\nclient connect\nclient send +5\n'
row send_signed_count 1 "stdin:3: send: bad byte count '+5'" "$TCPSIM" -q
input 'set isn client 7\nserver listen\nclient connect\nclient send "-1"\nexpect client snd.nxt=10\n'
row send_quoted_minus_one_is_text 0 '' "$TCPSIM" -q
input 'loss 100.00001\n'
row loss_past_100_by_a_little 1 "stdin:1: loss: bad percentage '100.00001'" "$TCPSIM" -q
input 'loss 100.00000\nloss 99.99999%%\n'
row loss_100_with_zeros 0 '' "$TCPSIM" -q
input 'set rto 0ms\n'
row set_rto_zero 1 "stdin:1: set rto: 0ms is out of range: from 1ms to 30 days" "$TCPSIM" -q
input 'set rto 43201m\n'
row set_rto_past_30_days 1 "stdin:1: set rto: duration '43201m' is too long: at most 30 days" "$TCPSIM" -q
input 'set rto 43200m\n'
row set_rto_30_days 0 '' "$TCPSIM" -q

# What stdin and NAME.out turn out to be.
: > "$tmp/in"
row stdin_is_a_directory 2 "tcpsim: cannot read standard input: Is a directory" sh -c "exec \"$TCPSIM\" < \"$tmp\""
printf 'server listen\n' > "$tmp/d.tcpsim"
mkdir "$tmp/d.out"
row expected_transcript_is_a_directory 2 "tcpsim: cannot read the expected transcript $tmp/d.out: Is a directory" "$TCPSIM" --check "$tmp/d.tcpsim"


# Every command's own mistakes, one line each (exit 1, the message on stderr).
# one NAME 'line' 'message': the line alone on stdin, a command error.
one() { printf '%s\n' "$2" > "$tmp/in"; row "$1" 1 "stdin:1: $3" "$TCPSIM" -q; }
one replay_id_zero 'replay #0' 'replay: bad segment id '"'"'#0'"'"': write # and its number'
one replay_unknown 'replay #1' 'replay #1: no such segment; write an id shown by history'
one segment_unknown 'segment #5' 'segment #5: no such segment; write an id shown by history'
one segment_not_an_id 'segment x' 'segment: bad segment id '"'"'x'"'"''
one deliver_unknown 'deliver #1' 'deliver #1: no such segment'
one dup_unknown 'dup #1' 'dup #1: no such segment'
one delay_unknown 'delay #1 1s' 'delay #1: no such segment'
one delay_without_duration 'delay #1' 'delay: missing argument; usage: delay #ID DUR'
one drop_next_bad_flags 'drop next c->s SYN,FOO' 'drop next: '"'"'SYN,FOO'"'"' is neither a direction (client->server) nor flags (SYN,ACK)'
one drop_next_bad_direction 'drop next x->y' 'drop next: bad direction '"'"'x->y'"'"''
one loss_extra_word 'loss c->s 50 extra' 'loss: too many arguments; usage: loss [DIR] PCT'
one loss_negative 'loss -5' 'loss: bad percentage '"'"'-5'"'"''
one loss_double_percent 'loss 50%%' 'loss: bad percentage '"'"'50%%'"'"''
one loss_leading_dot 'loss .5' 'loss: bad percentage '"'"'.5'"'"''
one loss_trailing_dot 'loss 5.' 'loss: bad percentage '"'"'5.'"'"''
one inject_without_seq 'inject c->s SYN' 'inject: missing argument; usage: inject DIR FLAGS seq=N'
one inject_len_past_ipv4 'inject c->s SYN seq=1 len=65496' 'inject: len 65496 is too large: at most 65495'
one inject_win_past_16_bits 'inject c->s SYN seq=1 win=65536' 'inject: win 65536 is too large: at most 65535'
one inject_bad_flags 'inject c->s BOGUS seq=1' 'inject: bad flags '"'"'BOGUS'"'"''
one inject_bad_direction 'inject c->x SYN seq=1' 'inject: bad direction '"'"'c->x'"'"''
one inject_unknown_field 'inject c->s SYN seq=1 foo=2' 'inject: unknown field '"'"'foo=2'"'"''
one set_mss_zero 'set mss 0' 'set mss: 0 is too small: at least 1'
one set_mss_past_ipv4 'set mss 65496' 'set mss: mss 65496 is too large: at most 65495'
one set_window_past_16_bits 'set window 65536' 'set window: window 65536 is too large: at most 65535'
one set_retries_past_100 'set retries 101' 'set retries: retries 101 is too large: at most 100'
one set_latency_in_days 'set latency 31d' 'set latency: bad duration '"'"'31d'"'"''
one set_latency_past_30_days 'set latency 43201m' 'set latency: duration '"'"'43201m'"'"' is too long: at most 30 days'
one set_msl_zero 'set msl 0ms' 'set msl: 0ms is out of range: from 1ms to 30 days'
one set_seed_negative 'set seed -1' 'set seed: bad seed '"'"'-1'"'"''
one set_seed_past_2_32 'set seed 4294967296' 'set seed: seed 4294967296 is too large: at most 4294967295'
one set_isn_without_value 'set isn client' 'set isn: usage: set isn client|server N'
one set_isn_bad_endpoint 'set isn bob 5' 'set isn: usage: set isn client|server N'
one set_delivery_unknown 'set delivery fast' 'set delivery: write auto (run the channel after each command) or step'
one set_autoack_maybe 'set client autoack maybe' 'set autoack: bad value '"'"'maybe'"'"': write on or off'
one set_endpoint_mss 'set client mss 5' 'set client: only autoack, autoread and absent are per endpoint'
one set_unknown 'set nonsense 1' 'set: unknown setting '"'"'nonsense'"'"''
one advance_two_dots 'advance 1.5.5s' 'advance: bad duration '"'"'1.5.5s'"'"''
one advance_exponent 'advance 1e3ms' 'advance: bad duration '"'"'1e3ms'"'"''
one advance_hex 'advance 0x10s' 'advance: bad duration '"'"'0x10s'"'"''
one advance_unit_alone 'advance ms' 'advance: bad duration '"'"'ms'"'"''
one flood_zero 'flood 0' 'flood: 0 SYNs is no flood; write 1 to 10000'
one flood_past_10000 'flood 10001' 'flood: SYN count 10001 is too large: at most 10000'
one flood_port_zero 'flood 5 from 0' 'flood: ports '"'"'0'"'"' must run from 1 to 65535'
one flood_ports_backwards 'flood 5 from 9-3' 'flood: ports '"'"'9-3'"'"' must run from 1 to 65535, first to last'
one flood_bad_keyword 'flood 5 at 7' 'flood: usage: flood N [from PORT | from FIRST-LAST]'
one backlog_zero 'server listen backlog 0' 'listen: a backlog of 0 takes no SYN; write 1 to 1024'
one backlog_past_1024 'server listen backlog 1025' 'listen: backlog 1025 is too large: at most 1024'
one client_backlog 'client listen backlog 3' 'listen: usage: server listen [backlog N] (the backlog is the server'"'"'s)'
one accept_without_backlog 'server accept' 'server accept: no listener with a backlog'
one client_accept 'client accept' 'client accept: accept is a listener'"'"'s call: server accept'
one send_zero 'client send 0' 'send: 0 bytes is nothing to send'
one send_past_16_mib 'client send 16777217' 'send: byte count 16777217 is too large: at most 16777216'
one send_empty_text 'client send ""' 'send: the text is empty'
one send_fraction 'client send 1.5' 'send: bad byte count '"'"'1.5'"'"''
one endpoint_alone 'client' 'client: what should the client do? e.g. '"'"'client connect'"'"''
one endpoint_unknown_call 'client frobnicate' 'unknown command '"'"'frobnicate'"'"' (help lists the commands)'
one save_without_file 'save' 'save: missing argument; usage: save FILE'
one log_without_words 'log' 'log: missing argument; usage: log json FILE | log off'
one log_json_without_file 'log json' 'log: usage: log json FILE | log off (FILE - is standard output)'
one log_off_none_open 'log off' 'log off: no JSON log is open; start one with: log json FILE'
one log_unknown_format 'log xml f' 'log: usage: log json FILE | log off'
one capture_off_none_open 'capture off' 'capture off: no capture is open; start one with: capture FILE'
one sweep_without_file 'sweep' 'sweep: missing argument; usage: sweep FILE'
one sweep_missing_file 'sweep /nonexistent/x.tcpsim' 'sweep: cannot read /nonexistent/x.tcpsim: No such file or directory'
one expect_alone 'expect' 'expect: missing argument; usage: expect CHECK'
one expect_endpoint_alone 'expect client' 'expect: usage: expect ENDPOINT STATE'
one expect_unknown_state 'expect client BOGUS' 'expect: '"'"'BOGUS'"'"' is not a state'
one expect_last_without_flags 'expect last c->s' 'expect last: usage: expect last DIR FLAGS'
one expect_field_not_a_number 'expect server snd.nxt=x' 'expect: bad snd.nxt '"'"'x'"'"''
one help_unknown 'help nonsense' 'help: unknown command '"'"'nonsense'"'"''
one quit_with_argument 'quit now' 'quit: too many arguments; usage: quit'
one loss_past_100_by_a_hair 'loss 100.0000000001' "loss: bad percentage '100.0000000001'"

# Issue 16: what a long session forgets, said as such.
python3 -c "import sys; sys.stdout.write('inject c->s ACK seq=1\n' * 16400 + 'segment #1\n')" > "$tmp/in"
row segment_forgotten 1 "stdin:16401: segment #1: that segment is forgotten: tcpsim keeps the last 16384" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('inject c->s ACK seq=1\n' * 16400 + 'replay #2\n')" > "$tmp/in"
row replay_forgotten 1 "stdin:16401: replay #2: that segment is forgotten" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('server listen\nclient connect\n' + 'client send 60000\n' * 80 + 'replay #4\n')" > "$tmp/in"
row replay_payload_forgotten 1 "stdin:83: replay #4: its payload is forgotten: tcpsim keeps the payload of the last 4 MiB sent" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('server listen\nclient connect\n' + 'client send 60000\n' * 80 + 'replay #170\n')" > "$tmp/in"
row replay_payload_kept 0 '' "$TCPSIM" -q

# Output files that are directories, and more full disks.
input 'capture %s\n' "$tmp"
row capture_directory 1 "stdin:1: capture: cannot write the capture $tmp: Is a directory" "$TCPSIM" -q
input 'save %s\n' "$tmp"
row save_directory 1 "stdin:1: save: cannot write $tmp: Is a directory" "$TCPSIM" -q
input 'log json %s\n' "$tmp"
row log_json_directory 1 "stdin:1: log: cannot write the JSON log $tmp: Is a directory" "$TCPSIM" -q
input 'sweep %s\n' "$tmp"
row sweep_directory 1 "stdin:1: sweep: cannot read $tmp: Is a directory" "$TCPSIM" -q
: > "$tmp/in"
row json_option_directory 2 "tcpsim: cannot write the JSON log $tmp: Is a directory" "$TCPSIM" -q --json "$tmp"
row pcap_option_directory 2 "tcpsim: cannot write the capture $tmp: Is a directory" "$TCPSIM" -q --pcap "$tmp"
row json_and_pcap_dev_full 2 "tcpsim: cannot write the capture /dev/full: No space left on device" "$TCPSIM" -q --json /dev/full --pcap /dev/full
input 'log json /dev/full\nlog off\n'
row log_dev_full_nothing_written 0 '' "$TCPSIM" -q
input 'log json /dev/full\nexpect client CLOSED\n'
row log_dev_full_an_expectation 2 "stdin:2: writing the JSON log /dev/full failed: No space left on device" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('capture $tmp/late2.pcap\n' + 'advance 43200m\n' * 1658 + 'server listen\nclient connect\n')" > "$tmp/in"
row capture_command_past_2_32_s 2 "writing the capture $tmp/late2.pcap stopped: the clock passed 2^32 s" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('advance 43200m\n' * 1658 + 'server listen\nclient connect\nexpect client ESTABLISHED\n')" > "$tmp/in"
row json_past_2_32_s 0 '' "$TCPSIM" -q --json "$tmp/late.json"

# Empty inputs, blanks and line endings.
: > "$tmp/in"
row dev_null_stdin 0 '' "$TCPSIM" -q
row dev_null_file 0 '' "$TCPSIM" -q /dev/null
row dash_is_not_stdin 2 "tcpsim: cannot read -: No such file or directory" "$TCPSIM" -q -
input 'server listen\r\r\r\rexpect server LISTEN\r'
row cr_blank_lines 0 '' "$TCPSIM" -q
input 'server listen\r\nclient connect\rexpect client ESTABLISHED\n'
row mixed_line_endings 0 '' "$TCPSIM" -q
input 'server\tlisten\nexpect server LISTEN\n'
row tab_between_words 0 '' "$TCPSIM" -q
input 'server\vlisten\fnow\n'
row vertical_tab_and_form_feed 1 "stdin:1: listen: usage: server listen [backlog N]" "$TCPSIM" -q
python3 -c "import sys; sys.stdout.write('set isn client 0\nserver listen\nclient connect\nclient send \"' + 'a\r' * 1000 + '\"\nexpect client snd.nxt=2001\n')" > "$tmp/in"
row many_crs_inside_quotes 0 '' "$TCPSIM" -q
input 'set isn client 0\nserver listen\nclient connect\nclient send "x\ry"\nsave %s/cr.tcpsim\n' "$tmp"
"$TCPSIM" -q < "$tmp/in" > /dev/null 2>&1
printf 'expect client snd.nxt=4\n' >> "$tmp/cr.tcpsim"
: > "$tmp/in"
row cr_inside_quotes_saved_and_run 0 '' "$TCPSIM" -q "$tmp/cr.tcpsim"
python3 -c "import sys; sys.stdout.write('undo\n' * 50)" > "$tmp/in"
row undo_fifty_times_on_nothing 1 "stdin:50: undo: nothing to undo yet" "$TCPSIM" -q

# A sweep of a scenario with undo runs it whole each time; one with a NUL
# byte stops reading it where the scenario stops.
printf 'server listen\nclient connect\nclient send 100\nclient close\nundo\nexpect client ESTABLISHED\n' > "$tmp/undo.tcpsim"
input 'sweep %s/undo.tcpsim\n' "$tmp"
row sweep_scenario_with_undo 0 '' "$TCPSIM" -q
printf 'server listen\nclient\000connect\n' > "$tmp/nul.tcpsim"
input 'sweep %s/nul.tcpsim\n' "$tmp"
row sweep_scenario_with_nul 0 '' "$TCPSIM" -q

# Pictures on a full disk or into a directory (issue 15's export).
input 'server listen\nclient connect\n'
row svg_dev_full 2 "tcpsim: writing the picture /dev/full failed: No space left on device" "$TCPSIM" -q --svg /dev/full
row html_dev_full 2 "tcpsim: writing the picture /dev/full failed: No space left on device" "$TCPSIM" -q --html /dev/full
input 'server listen\nexport html /dev/full\n'
row export_dev_full 1 "stdin:2: export: writing the picture /dev/full failed: No space left on device" "$TCPSIM" -q
input 'export svg %s\n' "$tmp"
row export_directory 1 "stdin:1: export: cannot write the picture $tmp: Is a directory" "$TCPSIM" -q

echo "badinput: $pass passed, $fail failed"
[ $fail -eq 0 ]
