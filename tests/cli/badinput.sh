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

echo "badinput: $pass passed, $fail failed"
[ $fail -eq 0 ]
