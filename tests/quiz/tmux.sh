#!/bin/sh
# tmux.sh TCPSIM - a quiz in a real terminal (tmux): the question on
# screen, a right answer drawn, a wrong one shown with the right segment
# and its rule, Ctrl-D ending with the score.  Polls the screen (at most
# 10 s a step); the simulation runs on its virtual clock.
set -u
TCPSIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
LESSON=$(cd "$(dirname "$0")/../../scenarios/quiz" && pwd)/handshake.tcpsim
. "$(dirname "$0")/../lib/tmux.sh"
tmux -S "$sock" new-session -d -x 100 -y 60 \
    "env HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM --lang en --quiz $LESSON; echo EXITED-\$?; sleep 30"
wait_for state_question "? what state is the server in now?"
keys Enter " " Enter                             # Enter by mistake is no answer: asked again
keys "LISTEN" Enter
wait_for right_state "+ right: LISTEN"
wait_for segment_question "? next segment? sender, flags, seq, ack, len"
keys "client SYN seq=J" Enter
wait_for right_segment_drawn "#1 SYN seq=J <mss 1460> ---"
keys "server SYN,ACK seq=K ack=J" Enter          # wrong: ack is J+1
wait_for wrong_answer "x wrong (not that ack): it is server SYN,ACK seq=K ack=J+1"
wait_for wrong_answer_rule "3.10.7.2 third)"
keys C-d
wait_for score "score 2/3"
wait_for exit_zero "EXITED-0"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
