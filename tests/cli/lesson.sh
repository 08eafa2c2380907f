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

echo "lesson.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
