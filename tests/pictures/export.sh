#!/bin/sh
# export.sh - `export svg|html FILE` in a session, against --svg/--html:
# the picture is of the session so far, undo and reset redraw it as the
# simulation is rebuilt, and the file name in the title is escaped.
# Needs python3 (to parse the SVG as XML).
set -u
TCPSIM=${1:-./tcpsim}
export LC_ALL=C LANGUAGE=  # the pictures in English; --lang zh_CN is asked for by name
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
# same NAME A B: the two files are byte for byte the same.
same() { if cmp -s "$2" "$3"; then ok; else bad "$1: $2 and $3 differ"; diff "$2" "$3" | head -5; fi; }
# arrows FILE: the segment ids the picture draws, one line.
arrows() {
    python3 -c 'import sys, xml.etree.ElementTree as ET
g = ET.parse(sys.argv[1]).getroot().iter("{http://www.w3.org/2000/svg}g")
print(" ".join(e.get("data-seg") for e in g if e.get("data-seg")))' "$1"
}

HANDSHAKE='set isn client 100
set isn server 300
server listen
client connect'

# 1. export in a session draws what happened so far; --svg at the end of
#    the same commands draws the same picture.
printf '%s\nexport svg %s\nclient close\n' "$HANDSHAKE" "$tmp/mid.svg" > "$tmp/mid.tcpsim"
out=$("$TCPSIM" "$tmp/mid.tcpsim" 2>&1)
case "$out" in
*"SVG picture written to $tmp/mid.svg"*) ok ;;
*) bad "export says nothing about the file: $out" ;;
esac
[ "$(arrows "$tmp/mid.svg")" = "1 2 3" ] && ok || bad "mid-session export draws '$(arrows "$tmp/mid.svg")', expected 1 2 3"
printf '%s\n' "$HANDSHAKE" > "$tmp/hs.tcpsim"
"$TCPSIM" -q --svg "$tmp/hs.svg" "$tmp/hs.tcpsim" || bad "--svg exit $?"
# The titles differ (the file names), the rest must not.
sed 's/<title>[^<]*<\/title>//' "$tmp/mid.svg" > "$tmp/mid.body"
sed 's/<title>[^<]*<\/title>//' "$tmp/hs.svg" > "$tmp/hs.body"
same "export and --svg" "$tmp/mid.body" "$tmp/hs.body"

# 2. undo takes the close back out of the picture.
printf '%s\nclient close\nundo\nexport svg %s\n' "$HANDSHAKE" "$tmp/undo.svg" > "$tmp/undo.tcpsim"
"$TCPSIM" -q "$tmp/undo.tcpsim" || bad "undo scenario exit $?"
sed 's/<title>[^<]*<\/title>//' "$tmp/undo.svg" > "$tmp/undo.body"
same "undo" "$tmp/undo.body" "$tmp/hs.body"

# 3. reset starts the picture again, as it starts the clock.
printf '%s\nclient close\nreset\n%s\nexport svg %s\n' "$HANDSHAKE" "$HANDSHAKE" "$tmp/reset.svg" > "$tmp/reset.tcpsim"
"$TCPSIM" -q "$tmp/reset.tcpsim" || bad "reset scenario exit $?"
sed 's/<title>[^<]*<\/title>//' "$tmp/reset.svg" > "$tmp/reset.body"
same "reset" "$tmp/reset.body" "$tmp/hs.body"

# 4. A file name with XML's special characters is escaped in the title,
#    and the HTML page holds the same picture.
cp "$tmp/hs.tcpsim" "$tmp/a<b&c.tcpsim"
"$TCPSIM" -q --svg "$tmp/odd.svg" --html "$tmp/odd.html" "$tmp/a<b&c.tcpsim" || bad "odd name exit $?"
title=$(python3 -c 'import sys, xml.etree.ElementTree as ET
print(ET.parse(sys.argv[1]).getroot().find("{http://www.w3.org/2000/svg}title").text)' "$tmp/odd.svg" 2>&1)
[ "$title" = "tcpsim: a<b&c" ] && ok || bad "title of a<b&c.tcpsim: $title"
grep -q '<svg xmlns' "$tmp/odd.html" && grep -q 'const STEPS = \[' "$tmp/odd.html" && ok ||
    bad "the HTML page has no inline SVG or no steps"

# 5. The same seed gives the same files; random ISNs too.
printf 'server listen\nclient connect\nclient close\n' > "$tmp/rand.tcpsim"
"$TCPSIM" -q --seed 7 --svg "$tmp/r1.svg" --html "$tmp/r1.html" "$tmp/rand.tcpsim"
"$TCPSIM" -q --seed 7 --svg "$tmp/r2.svg" --html "$tmp/r2.html" "$tmp/rand.tcpsim"
same "seeded svg" "$tmp/r1.svg" "$tmp/r2.svg"
same "seeded html" "$tmp/r1.html" "$tmp/r2.html"

# 6. --lang zh_CN: the page and the picture speak Chinese, protocol words
#    stay, and the SVG is still well-formed XML.
"$TCPSIM" -q --lang zh_CN --svg "$tmp/zh.svg" --html "$tmp/zh.html" "$tmp/hs.tcpsim" || bad "zh exit $?"
grep -q '<html lang="zh-CN">' "$tmp/zh.html" && grep -q '下一步' "$tmp/zh.html" && ok ||
    bad "the zh_CN page is not in Chinese"
grep -q '端口 40000' "$tmp/zh.svg" && grep -q '#1 SYN seq=100' "$tmp/zh.svg" && ok ||
    bad "the zh_CN picture has no Chinese or lost its labels"
python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$tmp/zh.svg" && ok || bad "zh.svg is not XML"

# 7. The labels are the transcript's: in the lessons that write x and y
#    and count the steps, every arrow's label is on a line of the
#    lesson's golden transcript.
root=$(cd "$(dirname "$0")/../.." && pwd)
for lesson in lesson-symbolic-steps lesson-relative-steps; do
    "$TCPSIM" -q --lang en --svg "$tmp/$lesson.svg" "$root/scenarios/$lesson.tcpsim" > /dev/null
    missing=$(python3 -c 'import sys, xml.etree.ElementTree as ET
out = open(sys.argv[2], encoding="utf-8").read()
root = ET.parse(sys.argv[1]).getroot()
labels = [e.text for e in root.iter("{http://www.w3.org/2000/svg}text") if e.get("class") == "label"]
def whole(label):    # on a line, and not the tail of a longer label ("[1/3] #1 ...")
    return any(p >= 0 and line[max(p - 2, 0):p] != "] " for line in out.splitlines() for p in [line.find(label)])
print(len(labels) == 0 and "no labels" or " | ".join(l for l in labels if not whole(l)))' "$tmp/$lesson.svg" "$root/scenarios/$lesson.out")
    [ -z "$missing" ] && ok || bad "$lesson: labels not in the transcript: $missing"
done

# 8. A caption is the user's text (the lexer takes its quotes, as in the
#    transcript): in the picture it is escaped XML, in
#    the page's script it cannot close the script.
printf '%s\ncaption a </script><b> & "q" 三次握手\n' "$HANDSHAKE" > "$tmp/cap.tcpsim"
"$TCPSIM" -q --lang en --svg "$tmp/cap.svg" --html "$tmp/cap.html" "$tmp/cap.tcpsim" || bad "caption exit $?"
cap=$(python3 -c 'import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print("".join("".join(g.itertext()) for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "mark caption").strip())' "$tmp/cap.svg" 2>&1)
[ "$cap" = 'a </script><b> & q 三次握手' ] && ok || bad "caption in the SVG: $cap"
[ "$(grep -c '</script>' "$tmp/cap.html")" = 1 ] && ok || bad "the caption closes the page's script"

echo "export: $pass passed, $fail failed"
[ $fail -eq 0 ]
