#!/bin/sh
# install.sh - make install DESTDIR=... installs the Chinese catalog and
# man page, the installed program finds its catalog, and man shows the
# Chinese page.  man-db picks the zh_CN directory only when the zh_CN
# locale exists; without it the page is rendered with man -l, as man would.
# Ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
if ! make -s install DESTDIR="$tmp/d" PREFIX=/usr/local >"$tmp/make.out" 2>&1; then
    bad "make install: $(tail -3 "$tmp/make.out")"
fi
share=$tmp/d/usr/local/share
for f in "$share/locale/zh_CN/LC_MESSAGES/tcpsim.mo" "$share/man/zh_CN/man1/tcpsim.1" \
         "$share/man/man1/tcpsim.1" "$tmp/d/usr/local/bin/tcpsim"; do
    if [ -f "$f" ]; then ok; else bad "not installed: ${f#"$tmp"/d}"; fi
done
# The installed program finds the installed catalog (../share/locale).
if env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u TCPSIM_LOCALEDIR LANG=zh_CN.UTF-8 "$tmp/d/usr/local/bin/tcpsim" --help 2>&1 | grep -q "用法"; then ok
else bad "the installed tcpsim does not speak Chinese under LANG=zh_CN.UTF-8"; fi
# The man page in Chinese, and still in English for English.
if locale -a 2>/dev/null | grep -qi '^zh_CN'; then
    zh=$(LANG=zh_CN.UTF-8 MANWIDTH=80 man -M "$share/man" tcpsim 2>/dev/null)
else
    zh=$(LANG=C.UTF-8 MANWIDTH=80 man -l "$share/man/zh_CN/man1/tcpsim.1" 2>/dev/null)
fi
case $zh in *"用于教学的 TCP 连接模拟器"*"三次握手"*) ok ;; *) bad "the Chinese man page: $(echo "$zh" | head -5)" ;; esac
en=$(LANG=C.UTF-8 MANWIDTH=80 man -M "$share/man" tcpsim 2>/dev/null)
case $en in *"a TCP connection simulator for teaching"*) ok ;; *) bad "the English man page: $(echo "$en" | head -5)" ;; esac
# No line of the Chinese page is wider than 80 columns, and groff says nothing.
if LANG=C.UTF-8 MANWIDTH=80 man -l "$share/man/zh_CN/man1/tcpsim.1" 2>&1 >/dev/null | grep -q .; then
    bad "groff warns on the Chinese man page: $(LANG=C.UTF-8 MANWIDTH=80 man -l "$share/man/zh_CN/man1/tcpsim.1" 2>&1 >/dev/null | head -3)"
else ok; fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
