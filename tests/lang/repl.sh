#!/bin/sh
# repl.sh TCPSIM - the REPL in Chinese, chosen by LANG=zh_CN.UTF-8 alone,
# in a real pseudo-terminal (tmux -u): the prompt, the transcript's header,
# help, and an error with its fix, on screen.  The only waiting is for the
# terminal to show what was typed (polled, at most 10 s a step).
# Ends with "N passed, N failed".
set -u
TCPSIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/../lib/tmux.sh"

tmux -u -S "$sock" new-session -d -x 100 -y 50 \
    "env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 XDG_STATE_HOME=$tmp/state HOME=$tmp TERM=xterm NO_COLOR=1 $TCPSIM; echo EXITED-\$?; sleep 30"


wait_for banner "tcpsim：TCP 连接模拟器。"
wait_for banner_help "输入 'help' 列出所有命令，Tab 键补全，Ctrl-D 退出。"
wait_for prompt "[t=0ms] tcpsim>"
keys "help" Enter
wait_for help "命令（ENDPOINT 为 client 或 server，也可写 c 或 s；"
wait_for help_lists "被动打开：等待 SYN（可带队列）"
keys "help close" Enter
wait_for help_command "    演示：四次挥手：FIN 占一个序号"
keys "server listen" Enter
wait_for header_in_chinese "时间  客户端"
wait_for listen_runs "LISTEN"
keys "client conect" Enter
wait_for error_with_fix "错误：未知命令 'conect'（您是不是想输入 'connect'？）"
keys "client connect" Enter
wait_for steps "ESTABLISHED"
keys "client connect" Enter
wait_for state_error "错误：client connect：client 处于 ESTABLISHED；connect 要求：CLOSED 或 LISTEN（连接已存在）"
keys "help expect" Enter
wait_for help_expect "该方向最近发送的报文段"
keys "set explain on" Enter "client close" Enter
wait_for explain "原因：CLOSE：排队的数据发完后发送 FIN (RFC 9293 3.10.4)"
keys C-d
wait_for ctrl_d_quits "EXITED-0"
echo "repl (zh): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
