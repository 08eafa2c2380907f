#!/bin/sh
# session.sh - undo and save: `save FILE` writes a scenario that replays to
# the same transcript, and `undo` leaves exactly the state before the
# command it takes back (the clock included).
set -u
TCPSIM=${1:-./tcpsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }

# save: the transcript up to `save` equals the saved scenario's transcript.
cat > "$tmp/in" <<EOS
set seed 9
loss 20
server listen
client connect
advance 10s
client send 3000
show
advance 30s
history
save $tmp/saved.tcpsim
EOS
"$TCPSIM" < "$tmp/in" > "$tmp/batch.out" 2>/dev/null
sed '/> save /,$d' "$tmp/batch.out" > "$tmp/before-save"
"$TCPSIM" "$tmp/saved.tcpsim" > "$tmp/replayed.out" 2>/dev/null
if cmp -s "$tmp/before-save" "$tmp/replayed.out"; then ok; else ko "save: the saved scenario replays differently"; diff "$tmp/before-save" "$tmp/replayed.out" | head; fi
if grep -q '^show' "$tmp/saved.tcpsim"; then ok; else ko "save: the inspection commands are missing"; fi
# help is about tcpsim, not the lesson: a saved session leaves it out.
printf 'help\nhelp connect\nserver listen\nsave %s\n' "$tmp/nohelp.tcpsim" | "$TCPSIM" >/dev/null 2>&1
if grep -q '^server listen' "$tmp/nohelp.tcpsim" && ! grep -q '^help' "$tmp/nohelp.tcpsim"; then ok; else
    ko "save: help was saved as part of the lesson"; cat "$tmp/nohelp.tcpsim"; fi

# undo: the state after undo equals the state without the undone command.
printf 'server listen\nclient connect\nclient send 10\nclient close\nundo\nshow\nhistory\n' | "$TCPSIM" -q > "$tmp/undone" 2>&1
printf 'server listen\nclient connect\nclient send 10\nshow\nhistory\n' | "$TCPSIM" -q > "$tmp/never" 2>&1
if cmp -s "$tmp/undone" "$tmp/never"; then ok; else ko "undo: state differs"; diff "$tmp/undone" "$tmp/never" | head; fi
# undo twice, then undo with nothing left: an error, exit 1
printf 'server listen\nundo\nundo\n' | "$TCPSIM" -q > /dev/null 2> "$tmp/err"
status=$?
if [ $status -eq 1 ] && grep -qF "undo: nothing to undo yet" "$tmp/err"; then ok; else ko "undo with nothing to undo: status $status"; fi

# A run stopped by the storm limit changed the simulation: save keeps it
# and undo takes it back alone.
{ echo 'set delivery step'; for i in 1 2 3 4 5 6; do echo 'flood 10000 from 1000-60000'; done
  echo run; } > "$tmp/storm"
{ cat "$tmp/storm"; echo inflight; } | "$TCPSIM" -q > "$tmp/storm.want" 2>/dev/null
{ cat "$tmp/storm"; echo "save $tmp/storm.tcpsim"; echo 'server listen'; echo undo; echo inflight; } |
    "$TCPSIM" -q > "$tmp/storm.got" 2> "$tmp/storm.err"
if grep -qx 'run' "$tmp/storm.tcpsim"; then ok; else ko "storm: save left out the stopped run"; fi
if cmp -s "$tmp/storm.want" "$tmp/storm.got"; then ok; else ko "storm: undo after a stopped run differs"; fi
if grep -qF 'stdin:8: run stopped after 100000 events' "$tmp/storm.err"; then ok; else ko "storm: no message"; fi

# Every expected transcript fits 80 columns (SPEC section 5), or the
# widest `set width N` of its scenario, measured by display width: a CJK
# character takes two.
wide=$(python3 - scenarios/*.out <<'PY'
import re, sys, unicodedata
for name in sys.argv[1:]:
    try:
        sets = re.findall(r"^set width (\d+)", open(name[:-4] + ".tcpsim", encoding="utf-8").read(), re.M)
    except OSError:
        sets = []
    limit = max([80] + [int(w) for w in sets])
    for n, line in enumerate(open(name, encoding="utf-8"), 1):
        w = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
                for c in line.rstrip("\n"))
        if w > limit:
            print(f"{name}:{n}")
PY
)
if [ -z "$wide" ]; then ok; else ko "transcripts wider than their width: $wide"; fi

# set theme light: no dim (ESC[2m), cyan (ESC[36m) or yellow (ESC[33m),
# which fade on a white projector screen (after the echo of the set
# line itself, drawn before it takes effect); the dark theme uses them.
esc=$(printf '\033')
lesson='set explain on
server listen
client connect
client send "hi"'
printf '%s\n' "$lesson" | "$TCPSIM" --color always > "$tmp/dark" 2>&1
printf 'set theme light\n%s\n' "$lesson" | "$TCPSIM" --color always > "$tmp/light" 2>&1
faint="$esc\[2m\|$esc\[36m\|$esc\[33m"
if grep -q "$faint" "$tmp/dark"; then ok; else ko "theme dark: no dim, cyan or yellow to compare with"; fi
if sed 1,2d "$tmp/light" | grep -q "$faint"; then ko "theme light: dim, cyan or yellow text"; else ok; fi
if grep -q "$esc\[3[45]m" "$tmp/light"; then ok; else ko "theme light: the arrows lost their colours"; fi

# reset keeps width and theme and names them; reset all restores them.
printf 'set width 100\nset theme light\nreset\nreset all\nset\n' | "$TCPSIM" > "$tmp/reset" 2>&1
if grep -qF "settings kept (not the defaults): width 100, theme light" "$tmp/reset"; then ok; else ko "reset does not name width and theme"; fi
if grep -qF "  width     auto (80 now)" "$tmp/reset" && grep -qF "  theme     dark" "$tmp/reset"; then ok; else ko "reset all keeps width or theme"; fi

echo "session: $pass passed, $fail failed"
[ $fail -eq 0 ]
