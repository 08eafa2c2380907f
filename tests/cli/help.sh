#!/bin/sh
# help.sh - help fits 80 columns and says what each command takes, an
# example and what it teaches; `help expect` lists every check of SPEC
# section 4; --help fits 80 columns too.
set -u
TCPSIM=${1:-./tcpsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }

# every command's help, and the list, within 80 columns
names=$(printf 'help\n' | "$TCPSIM" -q 2>&1 | sed -n 's/^  \([a-z]*\).*/\1/p' | sort -u)
{ echo help; for n in $names; do echo "help $n"; done; } | "$TCPSIM" -q > "$tmp/help" 2>&1
wide=$(awk 'length > 80' "$tmp/help")
if [ -z "$wide" ]; then ok; else ko "help: lines over 80 columns:"; echo "$wide" | head -5; fi
"$TCPSIM" --help > "$tmp/usage"
wide=$(awk 'length > 80' "$tmp/usage")
if [ -z "$wide" ]; then ok; else ko "--help: lines over 80 columns:"; echo "$wide" | head -5; fi

# help COMMAND: arguments, an example, what it teaches
printf 'help close\n' | "$TCPSIM" -q > "$tmp/close" 2>&1
for want in "ENDPOINT close  (alias: fin)" "    example: client close" "    teaches: the close: FIN takes one sequence number"; do
    if grep -qF -- "$want" "$tmp/close"; then ok; else ko "help close: no '$want' in"; cat "$tmp/close"; fi
done
printf 'help shutdown\n' | "$TCPSIM" -q > "$tmp/shutdown" 2>&1
if grep -qF "CLOSE as shutdown(SHUT_WR): a half-close" "$tmp/shutdown"; then ok; else ko "help shutdown"; cat "$tmp/shutdown"; fi

# help expect: every check
printf 'help expect\n' | "$TCPSIM" -q > "$tmp/expect" 2>&1
for check in "expect ENDPOINT STATE" "expect ENDPOINT FIELD=N" "expect last DIR FLAGS" "expect #ID FLAGS" \
        "expect next DIR FLAGS" "expect none [DIR]" "expect timer ENDPOINT" "expect inflight N" "expect error"; do
    if grep -qF -- "$check" "$tmp/expect"; then ok; else ko "help expect does not list '$check'"; fi
done

# help set: every setting that set lists, with its values; help SETTING
# points there
printf 'help set\n' | "$TCPSIM" -q > "$tmp/set" 2>&1
for name in $(printf 'set\n' | "$TCPSIM" -q 2>&1 | awk '$1 != "loss" && $1 != "drop" {print $1}'); do
    if grep -qE -- "^  set (\[ENDPOINT\] )?$name " "$tmp/set" || grep -qF -- ", set $name " "$tmp/set"; then ok; else
        ko "help set does not list '$name'"; fi
done
if grep -qF "  set steps on|off" "$tmp/set"; then ok; else ko "help set: no values for steps"; cat "$tmp/set"; fi
printf 'help steps\n' | "$TCPSIM" -q > "$tmp/steps" 2>&1
if grep -qF "help: steps is a setting, not a command: help set lists the settings" "$tmp/steps"; then ok; else
    ko "help steps"; cat "$tmp/steps"; fi

echo "help: $pass passed, $fail failed"
[ $fail -eq 0 ]
