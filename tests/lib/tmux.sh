# tmux.sh - sourced by the tests that drive tcpsim in a real terminal
# (tmux): a private tmux server, the screen, keys, and wait_for, which
# polls the screen (at most 10 s a step; the simulation itself runs on its
# virtual clock).  Sets tmp, sock, pass and fail; the caller starts its
# session with `tmux -S "$sock" new-session -d ...`.
if ! command -v tmux >/dev/null 2>&1; then
    echo "tmux is not installed (apt-get install tmux)"; exit 1
fi
tmp=$(mktemp -d)
sock="$tmp/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0

screen() { tmux -S "$sock" capture-pane -p -J -S -300; }
keys() { tmux -S "$sock" send-keys "$@"; }
# wait_for NAME PATTERN: the screen shows PATTERN (a fixed string)
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if screen | grep -qF -- "$2"; then pass=$((pass + 1)); return 0; fi
        sleep 0.1
        i=$((i + 1))
    done
    echo "FAIL $1: the screen never showed '$2':"; screen | tail -15
    fail=$((fail + 1))
    return 1
}
