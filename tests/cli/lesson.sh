#!/bin/sh
# lesson.sh - what a class hits first (issue 12): --check that cannot pass
# by mistake, an honest reset, loss and drop rules listed, control bytes
# never written raw, UTF-8 data as text, captions, the textbook numbers.
#
# Each case runs tcpsim and compares its exit status and one line of its
# output (or the absence of a pattern) with what it must be.
set -u
TCPSIM=${1:-./tcpsim}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# has NAME FILE 'fixed string': FILE holds the string
has() {
    if grep -qF -- "$3" "$2"; then ok; else bad "$1" "no line with '$3' in:"; sed 's/^/    /' "$2" | head -30; fi
}
# lacks NAME FILE 'fixed string'
lacks() {
    if grep -qF -- "$3" "$2"; then bad "$1" "a line with '$3':"; grep -F -- "$3" "$2" | head -5; else ok; fi
}
# status NAME GOT WANT
status() {
    if [ "$2" -eq "$3" ]; then ok; else bad "$1" "exit status $2, expected $3"; fi
}

# --- show: no blank at the end of the timers line --------------------------
printf 'set delivery step\nserver listen\nclient connect\nshow client\n' | "$TCPSIM" --lang en > "$tmp/o" 2>&1
has show_timers_line "$tmp/o" "timers   retransmit@1000"
if grep -q ' $' "$tmp/o"; then bad show_no_trailing_blank "a line ends in a blank:"; grep -n ' $' "$tmp/o" | head -3; else ok; fi

# --- counts: one byte is "1 byte" -----------------------------------------
printf 'server listen\nclient connect\nclient send 1\nshow server\n' | "$TCPSIM" --lang en > "$tmp/o" 2>&1
has one_byte_read "$tmp/o" 'app reads 1 byte "a"'
has one_byte_received "$tmp/o" "received 1 byte"
lacks no_1_bytes "$tmp/o" "1 bytes"

# --- --check cannot pass by mistake ----------------------------------------
printf 'server listen\nexpect\n' > "$tmp/bare.tcpsim"
"$TCPSIM" --check "$tmp/bare.tcpsim" > "$tmp/o" 2>&1
status check_bare_expect_fails $? 1
has check_bare_expect_fails "$tmp/o" "FAIL $tmp/bare.tcpsim"

printf 'server listen\nexpect server LISTEN\n' > "$tmp/a.tcpsim"
"$TCPSIM" --check "$tmp/a.tcpsim" > "$tmp/o" 2>&1
status check_missing_out_reported $? 0
has check_missing_out_reported "$tmp/o" "(no transcript to compare: --update writes $tmp/a.out)"

"$TCPSIM" --check --update "$tmp/a.tcpsim" > /dev/null 2>&1
cp "$tmp/a.out" "$tmp/a.keep"
printf 'server listen\nclient connect\nexpect server CLOSED\n' > "$tmp/a.tcpsim"
"$TCPSIM" --check --update "$tmp/a.tcpsim" > "$tmp/o" 2>&1
status check_update_after_failure $? 1
if cmp -s "$tmp/a.out" "$tmp/a.keep"; then ok; else bad check_update_after_failure "a.out was rewritten"; fi

printf 'server listen\nexpect server LISTEN\n' > "$tmp/a.tcpsim"
"$TCPSIM" --check "$tmp"/a.* > "$tmp/o" 2>&1
status check_skips_out_files $? 0
has check_skips_out_files "$tmp/o" "SKIP $tmp/a.out (not a .tcpsim scenario)"
has check_skips_out_files "$tmp/o" "1 passed, 0 failed"

"$TCPSIM" --check "$tmp/a.out" > "$tmp/o" 2>&1
status check_nothing_to_run $? 2

# --- reset: clears loss and drop rules, names the settings it keeps ----------
printf 'loss 100\nreset\nserver listen\nclient connect\nexpect client ESTABLISHED\n' | "$TCPSIM" > "$tmp/o" 2>&1
status reset_clears_loss $? 0
printf 'drop next c->s SYN\nreset\nshow\n' | "$TCPSIM" > "$tmp/o" 2>&1
has reset_clears_drop_rules "$tmp/o" "drop next none pending"
printf 'set handshake two-way\nset delivery step\nreset\n' | "$TCPSIM" > "$tmp/o" 2>&1
has reset_names_settings "$tmp/o" "settings kept (not the defaults): handshake two-way (NOT TCP),"
has reset_names_settings "$tmp/o" "  delivery step"
has reset_says_not_tcp "$tmp/o" "NOT TCP: two-way handshake, a listener trusts any SYN"
printf 'set handshake two-way\nreset all\nset delivery step\nserver listen\ninject c->s SYN seq=1\nstep\nexpect server SYN-RECEIVED\n' |
    "$TCPSIM" > "$tmp/o" 2>&1
status reset_all_restores_defaults $? 0
lacks reset_all_restores_defaults "$tmp/o" "settings kept"
printf 'reset everything\n' | "$TCPSIM" > "$tmp/o" 2>&1
status reset_bad_argument $? 1

# --- set and show list loss rates and drop rules -----------------------------
printf 'loss c->s 12.5%%\nset\n' | "$TCPSIM" > "$tmp/o" 2>&1
has set_lists_loss "$tmp/o" "loss      client->server 12.5%, server->client 0%"
printf 'drop next s->c SYN,ACK\nshow\n' | "$TCPSIM" > "$tmp/o" 2>&1
has show_lists_drop_rules "$tmp/o" "drop next SYN,ACK server->client"

# --- control bytes never reach the terminal raw --------------------------------
esc=$(printf '\033')
printf 'server listen\nclient send "a\033[2Jb"\nfoo\033[2J\ncaption x\033[31m\n' | "$TCPSIM" > "$tmp/o" 2>&1
lacks no_raw_escape "$tmp/o" "$esc"
has escape_shown "$tmp/o" 'unknown command '"'"'foo\x1b[2J'"'"
printf 'set isn client 100\nset isn server 300\nserver listen\nclient connect\nclient send "\001\033ok"\n' |
    "$TCPSIM" > "$tmp/o" 2>&1
lacks no_raw_escape_in_data "$tmp/o" "$esc"
has data_escaped "$tmp/o" 'app reads 4 bytes "\x01\x1bok"'

# --- UTF-8 data as text, in the server's column, by display width --------------
printf 'server listen\nclient connect\nclient send "你好，世界。这是第一次握手之后的数据"\n' | "$TCPSIM" > "$tmp/o" 2>&1
has utf8_data_as_text "$tmp/o" '"你好，世界。这是第一次握..."'
if python3 - "$tmp/o" <<'PY'
import sys, unicodedata
line = [l for l in open(sys.argv[1], encoding="utf-8") if "app reads" in l][0].rstrip("\n")
width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
# flush right at column 80, not cut, not drawn from the client's column
sys.exit(0 if width == 80 and line.endswith('..."') and line[9] == " " else 1)
PY
then ok; else bad utf8_in_server_column "the read is not flush right at column 80"; fi

# --- numbers: symbolic and relative, both sides of a failure alike ------------
HS='set isn client 100
set isn server 300
server listen
client connect'
printf '%s\nset numbers symbolic\nexpect last client->server ACK seq=1 ack=1\n' "$HS" | "$TCPSIM" > "$tmp/o" 2>&1
has expect_symbolic_both_sides "$tmp/o" "expected last client->server ACK seq=x-99 ack=y-299, got #3 ACK seq=x+1 ack=y+1"
printf '%s\nset relative on\nexpect last client->server ACK seq=1 ack=1\n' "$HS" | "$TCPSIM" > "$tmp/o" 2>&1
has expect_relative_both_sides "$tmp/o" "expected last client->server ACK seq=-99 ack=-299, got #3 ACK seq=1 ack=1"
printf 'set numbers symbolic J K\n%s\nexpect last client->server ACK seq=J+1 ack=K+1\nexpect client snd.nxt=J+1 rcv.nxt=K+1\nshow\nsegment #2\nhistory\n' "$HS" |
    "$TCPSIM" > "$tmp/o" 2>&1
status expect_symbolic_input $? 0
has symbolic_ladder "$tmp/o" "#2 SYN,ACK seq=K ack=J+1"
has symbolic_show "$tmp/o" "ISS      J                             ISS      K"
has symbolic_segment "$tmp/o" "SEG.ACK  J+1"
has symbolic_history "$tmp/o" "#3 ACK seq=J+1 ack=K+1 c->s"
printf 'set numbers symbolic\n%s\nexpect last c->s ACK seq=x+1 ack=y+1\n' "$HS" | "$TCPSIM" -q > "$tmp/o" 2>&1
status expect_symbolic_quiet $? 0
printf 'set numbers symbolic J J\n' | "$TCPSIM" > "$tmp/o" 2>&1
status numbers_same_letters $? 1

# --- steps: the textbook's count ------------------------------------------------
printf 'set steps on\n%s\nclient close\nserver close\n' "$HS" | "$TCPSIM" > "$tmp/o" 2>&1
for st in 1/3 2/3 3/3 1/4 2/4 3/4 4/4; do has "steps_$st" "$tmp/o" "[$st]"; done
printf 'set steps on\n%s\nset server autoack off\nclient close\nserver close\n' "$HS" | "$TCPSIM" > "$tmp/o" 2>&1
has steps_merged_fin_ack "$tmp/o" "[2+3/4] #"

# --- arrivals that change nothing are marked; step always prints --------------
printf '%s\nset delivery step\nclient send "hi"\nstep\nstep\n' "$HS" | "$TCPSIM" > "$tmp/o" 2>&1
has step_prints_arrival "$tmp/o" "#5 arrives (no reply, no state change)"

# --- crafted segments are the network's or the attacker's --------------------
printf 'server listen\ninject c->s SYN seq=90\nflood 1\n' | "$TCPSIM" > "$tmp/o" 2>&1
has inject_is_network "$tmp/o" "             [network] #1 SYN seq=90 ~~~"
has flood_is_attacker "$tmp/o" "             [attacker :50000] #4 SYN seq="

# --- captions: any language, in the transcript and the JSON log --------------
printf 'caption 第一次握手：客户端发送 SYN\n' | "$TCPSIM" --json "$tmp/j" > "$tmp/o" 2>&1
has caption_shown "$tmp/o" "== 第一次握手：客户端发送 SYN"
lacks caption_not_echoed "$tmp/o" "> caption"
has caption_logged "$tmp/j" '"type":"caption","text":"第一次握手：客户端发送 SYN"'

# --- a file that cannot be read: the error alone, no transcript header -------
"$TCPSIM" "$tmp/no-such.tcpsim" > "$tmp/o" 2> "$tmp/e"
status unreadable_file $? 2
has unreadable_file "$tmp/e" "tcpsim: cannot read $tmp/no-such.tcpsim"
if [ -s "$tmp/o" ]; then bad unreadable_file "the transcript's header above the error:"; cat "$tmp/o"; else ok; fi

# --- the README's first session draws what the README shows ----------------
# Its commands (the lines after the REPL's prompt) run in batch; the echo of
# each command is taken out, its time moved to the line after it, as the
# REPL shows it; the drawing is the indented block after "draws".
readme=$(dirname "$0")/../../README.md
sed -n '/^## A first session/,/^Reading it:/p' "$readme" > "$tmp/first"
sed -n 's/^    \[t=[0-9]*ms\] tcpsim> //p' "$tmp/first" > "$tmp/first.in"
sed -n '/^draws /,$p' "$tmp/first" | sed -n 's/^    //p' > "$tmp/first.want"
"$TCPSIM" < "$tmp/first.in" 2>&1 | awk '
    substr($0, 10, 2) == "> " { if (substr($0, 1, 7) !~ /^ *$/) t = substr($0, 1, 7); next }
    t != "" && substr($0, 1, 7) ~ /^ *$/ { $0 = t substr($0, 8); t = "" }
    { print }' > "$tmp/first.got"
if [ -s "$tmp/first.in" ] && [ -s "$tmp/first.want" ] && cmp -s "$tmp/first.want" "$tmp/first.got"; then ok; else
    bad readme_first_session "the README's drawing is not what its commands draw:"
    diff "$tmp/first.want" "$tmp/first.got" | head -20
fi

echo "lesson.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
