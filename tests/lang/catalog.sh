#!/bin/sh
# catalog.sh TCPSIM - the message catalogs: every message marked in the
# code is in po/zh_CN.po, translated and not fuzzy (msgfmt --statistics),
# and the language is chosen by --lang, else the locale, English otherwise.
# Ends with "N passed, N failed".
bin=${1:-./tcpsim}
cd "$(dirname "$0")/../.." || exit 2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# Every message the code marks is in the catalog (the template made anew).
sh po/extract.sh "$tmp/now.pot"
if [ -f "$tmp/now.pot" ] && ! msgcmp po/zh_CN.po "$tmp/now.pot" 2>"$tmp/cmp"; then
    bad "messages marked in the code but not in po/zh_CN.po (run make pot, then translate):"
    head -20 "$tmp/cmp"
else ok; fi

# All translated, none fuzzy.
stats=$(msgfmt --check --statistics -o /dev/null po/zh_CN.po 2>&1)
case "$stats" in
    *untranslated*|*fuzzy*|*error*) bad "po/zh_CN.po: $stats" ;;
    *" translated message"*) ok ;;
    *) bad "po/zh_CN.po: $stats" ;;
esac

# The language: --lang wins over the environment; unknown is English.
want() {    # want NAME PATTERN COMMAND...
    name=$1 pattern=$2; shift 2
    if "$@" 2>&1 | grep -q -- "$pattern"; then ok; else bad "$name: no '$pattern' in: $*"; fi
}
want "--lang zh_CN" "用法" env -u LANGUAGE LANG=C "$bin" --lang zh_CN --help
want "LANG=zh_CN.UTF-8" "用法" env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$bin" --help
want "LC_ALL over LANG" "用法" env -u LANGUAGE LC_ALL=zh_CN.UTF-8 LANG=en_US.UTF-8 "$bin" --help
want "--lang en over LANG" "^usage:" env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 "$bin" --lang en --help
want "--lang=zh_CN after --help" "用法" env -u LANGUAGE LANG=C "$bin" --help --lang=zh_CN
want "unknown locale is English" "^usage:" env -u LC_ALL LANG=fr_FR.UTF-8 "$bin" --help
"$bin" --lang fr --help >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "unknown --lang 'fr': write en or zh_CN" "$tmp/out"; then ok
else bad "--lang fr: exit $rc, $(cat "$tmp/out")"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
