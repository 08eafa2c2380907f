#!/usr/bin/env python3
"""browser.py - the HTML pages of three lessons in a real browser: Debian's
headless Chromium, driven from the command line (no npm, no network).

For each lesson it runs `tcpsim -q --html PAGE --json LOG LESSON`, then

  * loads file://PAGE#selftest with --dump-dom: the page's own script
    clicks Next through every step and Back once, presses the left and the
    right arrow keys, and writes what the DOM showed after each (the step,
    the current segment id, the
    client's and the server's state, the highlighted elements) into
    <pre id="selftest">; this test reads it and checks every step against
    the JSON log of the same run: one step per event (send, deliver, drop,
    state, timer, note, signal, receive, caption), the current segment the one the
    event is about, the states those the log's state events reached by then;
  * checks that the page loads nothing: no src= or href= to anything but
    itself, no http(s) URL outside text;
  * writes a screenshot of the page at its middle step to
    build/pictures/LESSON.png for a person to look at, decodes it (zlib,
    the PNG filters) and asserts it is not blank.

usage: browser.py TCPSIM [OUTDIR]      OUTDIR defaults to build/pictures
Prints one line per lesson and "N passed, N failed"; exit 1 when any failed.
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LESSONS = ["fig06-three-way-handshake", "lost-final-ack", "fig13-simultaneous-close"]
STEP_TYPES = {"send", "deliver", "drop", "state", "timer", "note", "signal", "receive", "caption"}
BROWSER = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def chromium(profile, *args):
    exe = shutil.which("chromium")
    if not exe:
        sys.exit("browser.py: chromium is not installed (apt-get install chromium)")
    run = subprocess.run([exe] + BROWSER[1:] + [f"--user-data-dir={profile}", *args],
                         capture_output=True, text=True, timeout=120)
    return run.stdout


def expected_steps(log):
    """After each step: (segment id or "", client state, server state)."""
    state = {"client": "CLOSED", "server": "CLOSED"}
    out = [("", "CLOSED", "CLOSED")]
    for line in open(log, encoding="utf-8"):
        o = json.loads(line)
        if o["type"] not in STEP_TYPES:
            continue
        if o["type"] == "state" and "port" not in o:
            state[o["ep"]] = o["to"]
        seg = str(o["id"]) if o["type"] in ("send", "deliver", "drop") else ""
        out.append((seg, state["client"], state["server"]))
    return out


def png_pixels(path):
    """(width, height, [rows of RGB(A) bytes]) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or color not in (2, 6):
        raise ValueError(f"PNG depth {depth} colour type {color}: expected 8-bit RGB or RGBA")
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows, bpp


def not_blank(path):
    w, h, rows, bpp = png_pixels(path)
    ink = colours = 0
    seen = set()
    for line in rows:
        for x in range(0, w * bpp, bpp * 2):            # every other pixel is plenty
            px = bytes(line[x:x + 3])
            if px != b"\xff\xff\xff":
                ink += 1
            if len(seen) < 64:
                seen.add(px)
    colours = len(seen)
    share = ink / (w * h / 2)
    problems = []
    if share < 0.02 or colours < 4:
        problems.append(f"screenshot {path} looks blank: {share:.1%} non-white pixels, {colours} colours")
    return problems, share


def check_lesson(tcpsim, lesson, outdir, profile):
    page = os.path.join(outdir, lesson + ".html")
    log = os.path.join(outdir, lesson + ".json")
    run = subprocess.run([tcpsim, "-q", "--lang", "en", "--html", page, "--json", log,
                          os.path.join(ROOT, "scenarios", lesson + ".tcpsim")], capture_output=True, text=True)
    if run.returncode:
        return [f"tcpsim exit {run.returncode}: {run.stderr.strip()}"], ""
    problems = []
    text = open(page, encoding="utf-8").read()
    for ref in re.findall(r'(?<![\w-])(?:src|href)\s*=\s*"([^"]*)"', text):
        if not ref.startswith("#"):
            problems.append(f"the page refers to {ref!r}: it must load nothing")
    if re.search(r"<(?:link|img|iframe|object|embed)\b", text) or "@import" in text or "url(http" in text:
        problems.append("the page has an element or rule that loads something")
    dom = chromium(profile, "--dump-dom", "file://" + os.path.abspath(page) + "#selftest")
    m = re.search(r'<pre id="selftest">(.*?)</pre>', dom, re.S)
    if not m or 'data-selftest="done"' not in dom:
        return problems + ["the page's self-test did not run (no <pre id=\"selftest\"> with its findings)"], ""
    seen = json.loads(html.unescape(m.group(1)))
    want = expected_steps(log)
    n = len(want) - 1
    if len(seen) != n + 4:
        problems.append(f"{len(seen)} observations, expected {n + 4} (start, {n} Next, Back, left, right)")
    # After the Nexts: Back to n-1, the left arrow to n-2, the right to n-1.
    after = [(n - 1, "Back"), (n - 2, "the left arrow key"), (n - 1, "the right arrow key")]
    steps = [(k, f"{k} x Next") for k in range(n + 1)] + after
    for obs, (step, how) in zip(seen, steps):
        seg, client, server = want[step]
        got = (obs["step"], obs["segment"], obs["client"], obs["server"])
        if got != (step, seg, client, server):
            problems.append(f"after {how}: page shows step {got[0]} segment "
                            f"{got[1]!r} {got[2]}/{got[3]}, expected step {step} segment {seg!r} {client}/{server}")
        if seg and f"seg-{seg}" not in obs["current"]:
            problems.append(f"step {step}: segment #{seg} is not highlighted ({obs['current']})")
    shot = os.path.join(outdir, lesson + ".png")
    if os.path.exists(shot):
        os.remove(shot)
    chromium(profile, f"--screenshot={shot}", "--window-size=1280,800",
             "file://" + os.path.abspath(page) + f"#step={n // 2}")
    if not os.path.exists(shot):
        return problems + [f"no screenshot written to {shot}"], ""
    blank, share = not_blank(shot)
    return problems + blank, f"{n} steps, screenshot {os.path.relpath(shot, ROOT)} {share:.0%} ink"


def main():
    tcpsim = sys.argv[1]
    outdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "build", "pictures")
    os.makedirs(outdir, exist_ok=True)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as profile:
        for lesson in LESSONS:
            problems, summary = check_lesson(tcpsim, lesson, outdir, profile)
            if problems:
                failed += 1
                print(f"FAIL {lesson}")
                for p in problems[:20]:
                    print(f"  {p}")
            else:
                passed += 1
                print(f"PASS {lesson}: {summary}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
