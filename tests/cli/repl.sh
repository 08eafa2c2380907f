#!/bin/sh
# repl.sh - the REPL in a real pseudo-terminal (tmux): Tab completion, the
# Up arrow, Ctrl-C abandoning a line, Ctrl-D quitting, and the history
# file under $XDG_STATE_HOME.  The only waiting is for the terminal to
# show what was typed (polled, at most 10 s a step); the simulation itself
# runs on its virtual clock.
set -u
TCPSIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/../lib/tmux.sh"

tmux -S "$sock" new-session -d -x 100 -y 50 \
    "env XDG_STATE_HOME=$tmp/state HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM; echo EXITED-\$?; sleep 30"


wait_for prompt "[t=0ms] tcpsim>"
if screen | head -2 | awk 'length > 80' | grep -q .; then
    echo "FAIL banner: wider than 80 columns:"; screen | head -2; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
keys "ser" Tab "lis" Tab Enter                 # server listen, by completion
wait_for tab_completes_endpoint_and_command "tcpsim> server listen"
wait_for listen_runs "LISTEN"
keys "cli" Tab "con" Tab Enter                 # client connect
wait_for tab_completes_client_connect "tcpsim> client connect"
wait_for handshake "ESTABLISHED"
wait_for prompt_shows_clock "[t=150ms] tcpsim>"
keys Up Enter                                  # client connect again
wait_for up_arrow_repeats "error: client connect: client is ESTABLISHED; connect needs CLOSED or LISTEN (connection already"
# An error wider than the terminal is wrapped at a blank, its next line
# indented under its text: the terminal's own wrap would cut a word.
if screen | grep -qx "       exists)"; then pass=$((pass + 1)); else
    echo "FAIL error_wraps_at_blank: no line '       exists)':"; screen | tail -5; fail=$((fail + 1))
fi
keys "expect client LISTEN" Enter            # a failed expect at the prompt: no file:line
wait_for repl_expect_fails "error: expected client LISTEN, got ESTABLISHED"
keys "garbage" C-c
keys "help clo" Tab Enter
wait_for ctrl_c_abandons_line "CLOSE: a FIN once the queued data is sent"
if screen | grep -qF "unknown command 'garbagehelp'"; then
    echo "FAIL ctrl_c: the abandoned text reached the next line"; fail=$((fail + 1))
fi
keys "expect tim" Tab "s" Tab "no" Tab Enter   # expect timer server none
wait_for completes_expect_timer "tcpsim> expect timer server none"
keys "set expl" Tab "on" Enter                 # set explain on
wait_for completes_settings "tcpsim> set explain on"
keys C-d
wait_for ctrl_d_quits "EXITED-0"

hist="$tmp/state/tcpsim/history"
for line in "server listen" "client connect" "help close" "set explain on"; do
    if grep -qxF "$line" "$hist" 2>/dev/null; then
        pass=$((pass + 1))
    else
        echo "FAIL history: '$line' is not in $hist"; fail=$((fail + 1))
    fi
done
if grep -q garbage "$hist" 2>/dev/null; then
    echo "FAIL history: the abandoned line was kept"; fail=$((fail + 1))
fi
if [ "$(grep -c '^client connect$' "$hist")" != 1 ]; then
    echo "FAIL history: a repeated line was stored twice"; fail=$((fail + 1))
fi

# A history that cannot be written (XDG_STATE_HOME is a file, so no
# directory can be made under it): a clear warning, and the REPL goes on.
tmux -S "$sock" kill-server 2>/dev/null
sock="$tmp/tmux2.sock"
: > "$tmp/not-a-dir"
tmux -S "$sock" new-session -d -x 160 -y 50 \
    "env XDG_STATE_HOME=$tmp/not-a-dir HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM; echo EXITED-\$?; sleep 30"
wait_for history_unwritable_warns "tcpsim: cannot keep the history in $tmp/not-a-dir/tcpsim/history: Not a directory"
keys "server listen" Enter
wait_for history_unwritable_goes_on "LISTEN"
keys C-d
wait_for history_unwritable_exit_0 "EXITED-0"

# Pasting a lesson: readline hands a bracketed paste over as one line with
# its line ends in it; every line must run, shown after its prompt as if
# typed.  tmux's paste-buffer -p brackets the paste when the program asked
# for bracketed paste (readline 8 does).  The last line has no line end:
# it waits in the buffer, to edit or run with Enter.
tmux -S "$sock" kill-server 2>/dev/null
sock="$tmp/tmux3.sock"
tmux -S "$sock" new-session -d -x 100 -y 60 \
    "env XDG_STATE_HOME=$tmp/state3 HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM; echo EXITED-\$?; sleep 30"
wait_for paste_prompt "[t=0ms] tcpsim>"
printf '%s\n' "# the three-way handshake, pasted from a course page" "set seed 7" \
    "set delivery step" "server listen" "client connect" "step" "step" "step" "client close" \
    > "$tmp/lesson"
printf 'show client' >> "$tmp/lesson"         # ten lines, the last without a line end
tmux -S "$sock" load-buffer "$tmp/lesson"
tmux -S "$sock" paste-buffer -p
for line in "# the three-way handshake, pasted from a course page" "set seed 7" "set delivery step" \
        "server listen" "client connect" "step" "client close"; do
    wait_for "paste_shows_$line" "tcpsim> $line"
done
wait_for paste_listen_ran "LISTEN"
wait_for paste_steps_ran "ESTABLISHED"
wait_for paste_close_ran "FIN-WAIT-1"
if [ "$(screen | grep -c 'tcpsim> step$')" != 3 ]; then
    echo "FAIL paste: not every step ran:"; screen | tail -20; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
wait_for paste_unfinished_line_waits "tcpsim> show client"
keys Enter
wait_for paste_last_line_runs "SND.UNA"

# A line with a line end inside it (here typed with Ctrl-V Ctrl-J; a
# bracketed paste without tcpsim's own handler arrives the same way): each
# of its lines runs, the last one too.
keys "# one" C-v C-j "help ack" C-v C-j "help crash" Enter
wait_for embedded_line_end_second "send a bare ACK of RCV.NXT now"
wait_for embedded_line_end_last "the host loses its TCB and sends nothing"

# Completion from the words before: after an endpoint only its calls,
# after `set NAME` that setting's values, fields after inject's flags,
# timers after `expect timer ENDPOINT`.
keys "set handshake tw" Tab Enter
wait_for complete_setting_value "tcpsim> set handshake two-way"
keys "set theme li" Tab Enter
wait_for complete_theme "tcpsim> set theme light"
keys "expect timer server ret" Tab C-a "# " Enter
wait_for complete_timer "tcpsim> # expect timer server retransmit"
keys "inject c->s RST se" Tab C-a "# " Enter
wait_for complete_inject_field "tcpsim> # inject c->s RST seq="
keys "segment " Tab "4" Enter                 # a segment id where one goes
keys "export h" Tab C-a "# " Enter             # export's kinds
wait_for complete_export_kind "tcpsim> # export html"
: > "$tmp/lesson-one.tcpsim"
keys "sweep $tmp/lesson-o" Tab C-a "# " Enter  # a file name where a file goes
wait_for complete_file_name "tcpsim> # sweep $tmp/lesson-one.tcpsim"
wait_for complete_segment_id "tcpsim> segment #4"
wait_for complete_segment_id_runs "segment #4, client -> server"
keys "client a" Tab Tab
wait_for complete_endpoint_calls "abort"
if screen | grep "abort" | grep -q "advance"; then
    echo "FAIL complete: 'client a<Tab>' offers advance, which no endpoint takes"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
keys C-u C-d
wait_for paste_ctrl_d_quits "EXITED-0"

# --play: a lesson by key presses, one command each (the set line runs
# with the command after it), going back once; the screen after `b` is
# the one before the last step, and nothing reaches the REPL's history.
tmux -S "$sock" kill-server 2>/dev/null
sock="$tmp/tmux4.sock"
printf '%s\n' "# play me" "set seed 7" "server listen" "client connect" "client close" > "$tmp/play.tcpsim"
tmux -S "$sock" new-session -d -x 90 -y 40 \
    "env XDG_STATE_HOME=$tmp/state4 HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM --play $tmp/play.tcpsim; echo EXITED-\$?; sleep 30"
wait_for play_waits_for_a_key "0/3: Space next, b back, q quit"
if screen | grep -qF "LISTEN"; then
    echo "FAIL play: a command ran before any key was pressed"; fail=$((fail + 1))
fi
keys x b Space       # a key that does nothing, back at the start, then next
wait_for play_first_step "> server listen"
wait_for play_first_step_status "1/3: Space next"
if screen | grep -qF "0/3"; then    # each idle key wrote the status line again, beside the last
    echo "FAIL play_idle_keys: the old status line is still on the screen:"; screen | head -5; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
keys Enter
wait_for play_second_step "ESTABLISHED"
keys Space
wait_for play_third_step "FIN-WAIT-1"
wait_for play_end "end of the lesson (3/3)"
keys b
wait_for play_back_status "2/3: Space next"
if screen | grep -qF -e "FIN-WAIT-1" -e "> client close"; then
    echo "FAIL play_back: the undone step is still on the screen:"; screen | tail -12; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
if ! screen | grep -qF "ESTABLISHED"; then
    echo "FAIL play_back: the steps before it are gone:"; screen | tail -12; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
keys Space
wait_for play_forward_again "FIN-WAIT-1"
keys q
wait_for play_q_quits "EXITED-0"
if [ -e "$tmp/state4/tcpsim/history" ]; then
    echo "FAIL play: the lesson went into the REPL's history"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
# Ctrl-C stops a long command and returns to the prompt with the
# simulation as it was: a sweep of 1,250 runs of 160,000 events each takes
# seconds (its table scrolls: the progress line is what stays in view).
# The history at the end keeps every run from stopping early where it
# converges on the run with no loss (sweep_converge.c).
tmux -S "$sock" kill-server 2>/dev/null
sock="$tmp/tmux9.sock"
printf 'set mss 10\nserver listen\nclient connect\n' > "$tmp/long.tcpsim"
for i in 1 2 3 4; do printf 'client send 200000\n' >> "$tmp/long.tcpsim"; done
printf 'history\n' >> "$tmp/long.tcpsim"
tmux -S "$sock" new-session -d -x 160 -y 50 \
    "env XDG_STATE_HOME=$tmp/state HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM; echo EXITED-\$?; sleep 30"
wait_for prompt_again "[t=0ms] tcpsim>"
keys "server listen" Enter "sweep $tmp/long.tcpsim" Enter
wait_for sweep_shows_progress "(Ctrl-C stops it)"
keys C-c
wait_for ctrl_c_stops_sweep "error: sweep: interrupted (Ctrl-C)"
keys "expect server LISTEN" Enter "client connect" Enter
wait_for after_ctrl_c_goes_on "ESTABLISHED"
keys C-d
wait_for after_ctrl_c_exit "EXITED-"

echo "repl: $pass passed, $fail failed"
[ $fail -eq 0 ]
