#!/usr/bin/env python3
"""width.py TCPSIM - every line tcpsim prints in Chinese fits 80 columns.

The width is 80, or what the lesson sets (`set width N`, read from its
echo).  Columns are counted as a terminal counts them, by Unicode East Asian
Width (python's unicodedata, not tcpsim's own table): W and F take two, a
combining mark none.  Every scenario, English and Chinese, is run under
--lang zh_CN with and without `set explain on`, and the Chinese golden
transcripts are read as they are.  A message wider than the line is
wrapped, not cut.  Ends with "N passed, N failed".
"""
import glob
import os
import re
import subprocess
import sys
import unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TCPSIM = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./tcpsim")
WIDTH = 80


def width(line):
    cols = 0
    for ch in line:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        cols += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return cols


def main():
    os.chdir(ROOT)
    env = dict(os.environ, LANG="C.UTF-8")
    passed = failed = 0
    scenarios = sorted(glob.glob("scenarios/*.tcpsim") + glob.glob("scenarios/zh/*.tcpsim"))
    texts = []
    for sc in scenarios:
        with open(sc, encoding="utf-8") as f:
            body = f.read()
        for prefix in ("", "set explain on\n"):
            r = subprocess.run([TCPSIM, "--lang", "zh_CN"], input=prefix + body, capture_output=True,
                               text=True, env=env, timeout=60)
            texts.append(("%s%s" % (sc, " (explain on)" if prefix else ""), r.stdout))
    for out in sorted(glob.glob("scenarios/zh/*.out")):
        with open(out, encoding="utf-8") as f:
            texts.append((out, f.read()))
    for name, text in texts:
        bad, limit = [], WIDTH
        for i, l in enumerate(text.split("\n")):
            m = re.search(r"> set width (\d+)\s*$", l)     # a lesson's own width, from its echo on
            if m:
                limit = int(m.group(1))
            elif re.search(r"> set width auto\s*$", l):
                limit = WIDTH
            if width(re.sub(r"\x1b\[[0-9;]*m", "", l)) > max(limit, len(l) if m else 0):
                bad.append((i + 1, l))
        if bad:
            failed += 1
            for n, l in bad[:3]:
                print("FAIL %s: line %d is %d columns wide: %s" % (name, n, width(l), l))
        else:
            passed += 1
    # A message longer than the width is wrapped, not cut: all of it shows.
    for lang in ("en", "zh_CN"):
        r = subprocess.run([TCPSIM, "--lang", lang], input="set window 0\n", capture_output=True, text=True,
                           env=env, timeout=60)
        if "3.8.6.1)" in r.stdout and all(width(l) <= WIDTH for l in r.stdout.split("\n")):
            passed += 1
        else:
            failed += 1
            print("FAIL --lang %s: set window 0 says its rule cut, or too wide:\n%s" % (lang, r.stdout))
    print("width: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
