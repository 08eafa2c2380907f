#!/bin/sh
# run.sh TCPSIM - quizzes in batch: each NAME.answers is fed to a quiz and
# the transcript, score included, compared with NAME.out; the report's
# JSON is read back.  `run.sh TCPSIM --update` rewrites the .out files
# (read them before committing).  Ends with "N passed, N failed".
bin=$1
here=$(dirname "$0")
top=$here/../..
pass=0 fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
quiz_of() {     # the lesson and mode for each answers file
    case $1 in
        handshake-*) echo "$top/scenarios/quiz/handshake.tcpsim" ;;
        four-way-states) echo "states $top/scenarios/quiz/four-way-close.tcpsim" ;;
        zh-handshake) echo "$top/scenarios/zh/quiz/handshake.tcpsim" ;;
    esac
}
lang_of() {     # the Chinese quizzes run in Chinese
    case $1 in zh-*) echo zh_CN ;; *) echo en ;; esac
}
for a in "$here"/*.answers; do
    name=$(basename "$a" .answers)
    # shellcheck disable=SC2046
    "$bin" --lang "$(lang_of "$name")" --quiz --report "$tmp/$name.json" $(quiz_of "$name") <"$a" >"$tmp/$name.out" 2>&1
    echo "exit $?" >>"$tmp/$name.out"
    if [ "$2" = --update ]; then cp "$tmp/$name.out" "$here/$name.out"; fi
    if diff -u "$here/$name.out" "$tmp/$name.out" >"$tmp/diff"; then
        pass=$((pass + 1))
    else
        echo "FAIL $name"; cat "$tmp/diff"; fail=$((fail + 1))
    fi
    # The report holds every question, and its score is the transcript's.
    if python3 - "$tmp/$name.json" "$tmp/$name.out" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
m = re.search(r"^(?:score|得分) (\d+)/(\d+)$", out, re.M)
assert m, "no score line"
assert (r["right"], r["asked"]) == (int(m.group(1)), int(m.group(2))), (r["right"], r["asked"], m.groups())
assert len(r["answers"]) == r["asked"]
assert sum(a["right"] for a in r["answers"]) == r["right"]
for a in r["answers"]:
    assert set(a) >= {"n", "kind", "question", "answer", "expected", "right", "hints", "t"}, a
PY
    then pass=$((pass + 1)); else echo "FAIL $name: report"; fail=$((fail + 1)); fi
done
# Usage errors.
"$bin" --quiz >"$tmp/u" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q "runs one lesson" "$tmp/u"; then pass=$((pass + 1)); else echo "FAIL --quiz alone: $rc"; fail=$((fail + 1)); fi
"$bin" --report x.json "$top/scenarios/quiz/handshake.tcpsim" >"$tmp/u" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q "goes with --quiz" "$tmp/u"; then pass=$((pass + 1)); else echo "FAIL --report alone: $rc"; fail=$((fail + 1)); fi
"$bin" --quiz --report /nonexistent/dir/r.json "$top/scenarios/quiz/handshake.tcpsim" </dev/null >"$tmp/u" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q "cannot write the report" "$tmp/u"; then pass=$((pass + 1)); else echo "FAIL bad report path: $rc"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
