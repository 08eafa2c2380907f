#!/bin/sh
# extract.sh OUT - the template of every message tcpsim shows (po/tcpsim.pot).
#
# The front end and the renderers mark their messages: _() where shown,
# N_() in tables, ngettext for counts.  The engine marks nothing (it knows
# no locale): its reason strings, errors and hints are handed out as they
# are and translated where they are shown.  So every string literal of the
# engine that reads as words (it has a blank) is taken as a message; new
# reasons need no marking, and a reason left untranslated fails the
# catalog test.
out=${1:-po/tcpsim.pot}
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
common="--from-code=UTF-8 --add-comments=TRANSLATORS: --sort-by-file --no-wrap --package-name=tcpsim"
# shellcheck disable=SC2086
xgettext $common --msgid-bugs-address="tcpsim issues" -k_ -kN_ -kngettext:1,2 \
    -o "$tmp/marked.pot" src/cli/*.c src/cli/*.h src/render/*.c src/render/*.h || exit 1
# shellcheck disable=SC2086
xgettext $common -a -o "$tmp/all.pot" src/engine/*.c src/engine/*.h include/tcpsim/*.h 2>/dev/null || exit 1
sed -i 's/charset=CHARSET/charset=UTF-8/' "$tmp/all.pot" "$tmp/marked.pot"
# Words only: a blank in the msgid, or one lower-case word (a segment's
# fate: delivered, lost), and not a printf format alone.
msggrep --no-wrap --msgid -E -e '[A-Za-z][a-z]* [A-Za-z(<]' -e '^[a-z][a-z]+$' -o "$tmp/engine.pot" "$tmp/all.pot" || exit 1
if [ -s "$tmp/engine.pot" ]; then
    msgcat --no-wrap --use-first -o "$out" "$tmp/marked.pot" "$tmp/engine.pot"
else
    cp "$tmp/marked.pot" "$out"
fi
