#!/usr/bin/env python3
"""english.py TCPSIM - no English sentence is left in tcpsim's Chinese.

Runs every command, error path and lesson under --lang zh_CN: the shell
tests of the front end (errors, bad input, sessions, lessons, quizzes,
the packetdrill runner)
through a wrapper that adds --lang zh_CN and keeps everything printed,
and then every scenario with and without `set explain on`, --help, and the
inspection commands.  Then it reads every line printed and fails on a run
of three or more English words, outside the words that stay as they are:
protocol words (SYN, seq, ESTABLISHED: all capitals are never counted),
the command and setting words a user types (client, connect, autoack ...),
formulae such as <SEQ=SEG.ACK><CTL=RST>, RFC references, file names, and
what the user typed, echoed back ("> ..." lines, captions, quoted text).

A string the code forgot to mark, or a msgid missing from the catalog,
prints English under --lang zh_CN and is found here.  Ends with
"N passed, N failed".
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TCPSIM = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./tcpsim")

# Words a user types, and protocol words written in lower case: they stay
# English in Chinese text and neither count nor break a run.
TYPED = set("""
client server c s listen accept connect syn send close fin abort rst ack read crash
inject replay step run advance deliver drop dup delay flood loss show inflight history
segment help set ask expect reset caption undo save sweep log capture quit exit
delivery autoack autoread isn latency msl mss window retries syn-retries rfc rto seed
relative explain handshake isn-mode syncookies numbers steps on off auto yes no all
random counter clock absolute symbolic three-way two-way none next last timer
retransmit persist time-wait fin-wait-2 in from backlog json error state field
seq len win sport by attacker network hint skip tcpsim diff libpcap pcap
iss irs snd rcv una nxt wnd cookie cookies x y ms m min lang en zh quiz check update
states report quiet color always never version stdin the
profile ratelimit width theme dark light shutdown export svg html play compare linux
""".split())
# "the" is typed in no command; it is listed so that a lone article
# between code words does not count.  Three prose words still do.
TYPED.discard("the")

COMMANDS = """listen accept connect send close shutdown abort ack read crash inject replay step run
advance deliver drop dup delay flood loss show inflight history segment help set ask expect reset
caption undo save sweep log capture export quit""".split()

WORD = re.compile(r"^[A-Za-z][a-z]+$")


def scrub(line):
    """The line without what legitimately stays English."""
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    body = line[9:] if re.match(r"^[ \d]{7}  ", line) else line.lstrip()
    if body.startswith(("> ", "== ", "answer> ", "回答> ")):
        return ""                                        # an echoed command or a caption
    line = re.sub(r"'[^']*'", " ", line)                 # user text quoted back
    line = re.sub(r'"[^"]*"', " ", line)
    line = re.sub(r"<[^<>]*>", " ", line)                # <SEQ=ISS><CTL=SYN>, <mss 1460>
    line = re.sub(r"\(RFC[^)]*\)|RFC \d+( \d+(\.\d+)*)?( (first|second|third|fourth|fifth|sixth|seventh|eighth))?", " ", line)
    line = re.sub(r"\S*[/\\]\S*|\S+\.(tcpsim|out|json|pcap|answers)\b", " ", line)   # paths
    line = re.sub(r"\b(PASS|FAIL|SKIP)\b.*", " ", line) if re.match(r"^(PASS|FAIL|SKIP) ", line) else line
    line = re.sub(r"^\d+ passed, \d+ failed$", " ", line)
    return line


def english_runs(line):
    """Runs of three or more English words in the line (CJK breaks a run)."""
    runs, cur = [], []
    for tok in re.split(r"(\s+|[^\x00-\x7f]+)", scrub(line)):
        if not tok or tok.isspace():
            continue
        if re.match(r"[^\x00-\x7f]", tok):           # Chinese: the sentence is not English
            if len(cur) >= 3:
                runs.append(" ".join(cur))
            cur = []
            continue
        word = tok.strip(",.;:!?()[]")
        if word.lower() in TYPED:
            continue
        if WORD.match(word) and not word.isupper():
            cur.append(word)
            continue
        if len(cur) >= 3:
            runs.append(" ".join(cur))
        cur = []
    if len(cur) >= 3:
        runs.append(" ".join(cur))
    return runs


def main():
    os.chdir(ROOT)
    # The heuristic itself: English prose is found, Chinese with protocol
    # and command words is not.
    assert english_runs("stdin:3: undo: nothing to undo yet"), "the heuristic misses English"
    assert english_runs("  (SYN queue full (backlog): SYN dropped, the client will retry)")
    assert not english_runs("stdin:2: client connect：client 处于 ESTABLISHED；connect 要求：CLOSED 或 LISTEN")
    assert not english_runs("         [第一次握手] #1 SYN seq=J <mss 1460> ------>")
    tmp = tempfile.mkdtemp()
    log = os.path.join(tmp, "printed.log")
    wrap = os.path.join(tmp, "tcpsim")
    with open(wrap, "w") as f:
        # --lang zh_CN, dropping a --lang the test gives (run.sh says --lang en)
        f.write('#!/bin/sh\nskip=0\nfor a do\n  shift\n  if [ $skip = 1 ]; then skip=0; continue; fi\n'
                '  case $a in --lang) skip=1; continue ;; --lang=*) continue ;; esac\n  set -- "$@" "$a"\ndone\n'
                'out=$(mktemp) err=$(mktemp)\n'
                '"%s" --lang zh_CN "$@" >"$out" 2>"$err"; rc=$?\n'
                'cat "$out"; cat "$err" >&2\n'
                # --translate prints a scenario (tcpsim's language, not a message): not read
                'case " $* " in *" --translate "*) cat "$err" ;; *) cat "$out" "$err" ;; esac >>"$ENGLISH_LOG"\n'
                'rm -f "$out" "$err"; exit $rc\n'
                % TCPSIM)
    os.chmod(wrap, 0o755)
    env = dict(os.environ, LANG="C.UTF-8")
    env.pop("LANGUAGE", None)
    # The shell tests: every error path, bad input, sessions, lessons and
    # quizzes (their own verdicts are English-only: ignored here).
    # (side by side, each with its own log)
    tests = ["tests/cli/errors.sh", "tests/cli/badinput.sh", "tests/cli/session.sh",
             "tests/cli/lesson.sh", "tests/quiz/run.sh", "tests/packetdrill/run.sh"]
    running = []
    for i, test in enumerate(tests):
        running.append(subprocess.Popen(["sh", test, wrap], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        stdin=subprocess.DEVNULL, env=dict(env, ENGLISH_LOG="%s.%d" % (log, i))))
    for p in running:
        p.wait(timeout=300)
    with open(log, "w") as out:
        for i in range(len(tests)):
            if os.path.exists("%s.%d" % (log, i)):
                with open("%s.%d" % (log, i), encoding="utf-8", errors="replace") as f:
                    out.write(f.read())
    pkt_failures = []
    with open(log, "a") as out:
        def run(args, stdin=None):
            r = subprocess.run([TCPSIM, "--lang", "zh_CN"] + args, input=stdin, capture_output=True,
                               text=True, env=env, timeout=60)
            out.write(r.stdout + r.stderr)
            return r
        scenarios = sorted(glob.glob("scenarios/*.tcpsim") + glob.glob("scenarios/zh/*.tcpsim"))
        for sc in scenarios:
            run([sc])
            with open(sc, encoding="utf-8") as f:
                text = f.read()
            run([], "set explain on\nset steps on\n" + text.replace("\nreset", "\nreset\nset explain on"))
        run(["--help"])
        run([], "help\n" + "".join("help %s\n" % c for c in COMMANDS))
        run(["--check"] + scenarios[:3])
        # The packetdrill runner: every script (-v: its notes), a failing
        # copy (the script/actual pair), malformed scripts, a missing file.
        scripts = sorted(glob.glob("tests/packetdrill/*.pkt"))
        run(["--packetdrill", "-v"] + scripts)
        bad = {"wrong": open("tests/packetdrill/passive-open.pkt", encoding="utf-8").read()
                        .replace("ack 101 win 65435", "ack 102 win 65435"),
               "flags": "0.1 < Q 0:0(0) win 65535\n",
               "seq": "0   listen(3, 1) = 0\n+0  < S 0:0 win 65535\n",
               "call": "0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0  poll([], 1, 0) = 0\n",
               "ifdef": "#ifdef LINUX\n0 listen(3, 1) = 0\n",
               "late": "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                       "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
                       "+0 > S 0:0(0) <...>\n+0.5 > S 0:0(0) <...>\n"}
        for name, text in bad.items():
            with open(os.path.join(tmp, name + ".pkt"), "w", encoding="utf-8") as f:
                f.write(text)
        r = run(["--packetdrill"] + [os.path.join(tmp, n + ".pkt") for n in bad] + [os.path.join(tmp, "missing.pkt")])
        # Short errors ("expected '(' in START:END(LEN), found 'win'") have
        # too few words for the heuristic: each error names its place and
        # then says in Chinese what is wrong, with no English word but the
        # system calls and directives a script is written in.
        errors = [m.group(1) for m in re.finditer(r"^\S+\.pkt:\d+(?::\d+)?: (.*)$", r.stderr, re.M)]
        if len(errors) != len(bad):
            pkt_failures.append(("%d errors for %d scripts" % (len(errors), len(bad)), r.stderr))
        script_words = TYPED | set("socket bind write recv fcntl getsockopt setsockopt ifdef ifndef else endif".split())
        for e in errors:
            words = [w for w in re.findall(r"(?<![\w.])[a-z]{3,}\b", scrub(e)) if w not in script_words]
            if words or not re.search("[\u4e00-\u9fff]", e):
                pkt_failures.append((" ".join(words) or "no Chinese", e))
        run([], "save --packetdrill %s\nclient connect\nsave --packetdrill %s client\n"
                % (os.path.join(tmp, "x.pkt"), os.path.join(tmp, "x.pkt")))
        run([], "set\nserver listen backlog 2\nclient connect\nshow\ninflight\nsegment #1\nrun\n"
                "history\nsegment #2\nshow server\nexpect client CLOSED\nexpect last c->s FIN\n"
                "flood 3\nshow\nclient close\nrun\nadvance\nreset\nundo\nreset all\n")
    # What lesson authors wrote (ask questions, captions) is theirs, in
    # whatever language the lesson is: not checked.
    authored = []
    for sc in glob.glob("scenarios/**/*.tcpsim", recursive=True):
        with open(sc, encoding="utf-8") as f:
            for m in re.finditer(r'^\s*(?:ask|caption)\s+"?([^"\n]*)', f.read(), re.M):
                authored.append(m.group(1))
    failures = list(pkt_failures)
    with open(log, encoding="utf-8", errors="replace") as f:
        caption = False
        for line in f:
            line = line.rstrip("\n")
            body = line[9:] if re.match(r"^[ \d]{7}  ", line) else None
            if body is not None and body.startswith("== "):
                caption = True
            elif not (caption and body is not None and body.startswith("   ") and body[3:4] != " "):
                caption = False
            if caption:
                continue                                 # a caption and its continuation lines
            if re.match(r"^(-|@@|\+\+\+ )", line):
                continue                                 # diff -u: the expected (English) golden
            line = re.sub(r"^\+", "", line)
            said = re.sub(r"^\s*[?!=x+]\s", "", line).strip()
            if said and any(said in a for a in authored):
                continue
            for run_ in english_runs(line):
                failures.append((run_, line))
    seen = set()
    for run_, line in failures:
        if line in seen:
            continue
        seen.add(line)
        print("FAIL English under --lang zh_CN: '%s' in: %s" % (run_, line.strip()))
    fail = 1 if failures else 0
    print("english: %d passed, %d failed" % (1 - fail, fail))
    return fail


if __name__ == "__main__":
    sys.exit(main())
