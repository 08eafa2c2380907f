#!/usr/bin/env python3
"""svgcheck.py - the golden SVG pictures of three lessons, read as XML
against the JSON log of the same run (python3 standard library only).

For each lesson LESSON in tests/pictures/LESSON.svg it runs
`tcpsim -q --svg NEW --json LOG scenarios/LESSON.tcpsim`, then checks:

  * NEW is byte for byte the golden file (the picture is stable for a seed);
  * NEW parses as XML and is an SVG;
  * one arrow (<g class="seg">) per segment the log says was sent, with
    the log's sender, send time and arrival or loss;
  * each arrow starts on its sender's timeline and ends on the receiver's
    (or half-way, in an X, when it was lost), and falls by its latency
    times the picture's scale (data-px-per-ms): slanted by its latency;
  * two arrows cross in the picture exactly when the segments were on the
    wire at the same time in opposite directions (each sent before the
    other arrived, in the log's order), and the lesson's own crossings
    are there;
  * every state change of the log is written on its endpoint's timeline,
    in order; the label of each arrow is text that starts "#ID FLAGS" (after
    its textbook step, "[1/3]", when the lesson counts them);
  * each endpoint's every state transition is on its path in Figure 5;
  * each timer that fired has a span from when it started (the last
    segment with sequence space its endpoint sent, or 2 x MSL before);
  * the long idle stretch (2 x MSL) is a break, not 60 s to scale; a
    lesson without one has none.

The other scenarios' pictures are drawn too and held to the same rules
of arrows, crossings and states (they have no golden file).

usage: svgcheck.py TCPSIM [--update]   (--update rewrites the golden files)
Prints one line per lesson and "N passed, N failed"; exit 1 when any failed.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The lessons, and the pairs of segments each must show crossed.
LESSONS = {
    "fig06-three-way-handshake": [],
    "lost-final-ack": [],
    "fig13-simultaneous-close": [(4, 5), (6, 7)],
}


def log_segments(path):
    """{id: {"src", "sent", "end", "fate", "flags", "sent_at", "end_at"}},
    the state events and the set of (ep, (from, to)) transitions, from the
    log after its last reset (the picture starts
    again there, as the clock does).  sent_at and end_at are the events'
    places in the log: their order where their times are equal."""
    segs, states, transitions = {}, [], set()
    for n, line in enumerate(open(path, encoding="utf-8")):
        o = json.loads(line)
        if o["type"] == "reset":
            segs, states, transitions = {}, [], set()
        elif o["type"] == "send":
            segs[o["id"]] = {"src": o["src"], "sent": o["t"], "end": None, "fate": "in-flight",
                             "flags": ",".join(o["flags"]), "sent_at": n, "end_at": None,
                             "space": o["len"] > 0 or "SYN" in o["flags"] or "FIN" in o["flags"]}
        elif o["type"] == "deliver":
            segs[o["id"]].update(end=o["t"], fate="arrived", end_at=n)
        elif o["type"] == "drop":
            segs[o["id"]].update(end=o["t"], fate="dropped" if o["reason"] == "user" else "lost", end_at=n)
        elif o["type"] == "state" and "port" not in o:
            states.append((o["ep"], o["to"]))
            transitions.add((o["ep"], (o["from"], o["to"])))
    return segs, states, transitions


def crossing(a, b):
    """Whether two drawn arrows cross (each line strictly across the other),
    and whether they touch (an end of one on the other)."""
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (v > 1e-9) - (v < -1e-9)

    def on(p, q, r):    # r on the segment p-q
        return orient(p, q, r) == 0 and min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) \
            and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])
    p1, p2 = (a["x1"], a["y1"]), (a["x2"], a["y2"])
    q1, q2 = (b["x1"], b["y1"]), (b["x2"], b["y2"])
    strict = orient(p1, p2, q1) * orient(p1, p2, q2) < 0 and orient(q1, q2, p1) * orient(q1, q2, p2) < 0
    touch = on(p1, p2, q1) or on(p1, p2, q2) or on(q1, q2, p1) or on(q1, q2, p2)
    return strict, touch


def check_picture(svg_path, log_path, crossings, lesson=True):
    problems = []
    segs, states, transitions = log_segments(log_path)
    root = ET.parse(svg_path).getroot()
    if root.tag != NS + "svg":
        return [f"the root element is {root.tag}, not svg"]
    seq = root.find(f".//{NS}g[@id='sequence']")
    scale = float(seq.get("data-px-per-ms"))
    x_of = {"client": float(seq.get("data-client-x")), "server": float(seq.get("data-server-x"))}
    other = {"client": "server", "server": "client"}
    arrows = {}
    for g in seq.iter(NS + "g"):
        if "seg" not in g.get("class", "").split():
            continue
        sid = int(g.get("data-seg"))
        if sid in arrows:
            problems.append(f"#{sid}: drawn twice")
        shaft = [e for e in g.iter(NS + "line") if e.get("class") == "shaft"]
        if len(shaft) != 1:
            problems.append(f"#{sid}: {len(shaft)} shafts, expected 1")
            continue
        line = {k: float(shaft[0].get(k)) for k in ("x1", "y1", "x2", "y2")}
        label = "".join(g.find(f"{NS}text[@class='label']").itertext())
        arrows[sid] = dict(g=g, label=label, lost=g.find(f"{NS}path[@class='lost']") is not None,
                           marker=shaft[0].get("marker-end"), **line)
    if sorted(arrows) != sorted(segs):
        problems.append(f"arrows {sorted(arrows)}, but the log sent {sorted(segs)}")
    for sid, s in segs.items():
        a = arrows.get(sid)
        if a is None:
            continue
        g = a["g"]
        if (g.get("data-src"), int(g.get("data-sent")), g.get("data-fate")) != (s["src"], s["sent"], s["fate"]):
            problems.append(f"#{sid}: picture says {g.get('data-src')} at {g.get('data-sent')}, "
                            f"{g.get('data-fate')}; the log {s['src']} at {s['sent']}, {s['fate']}")
        # "[1/3] " first when the lesson counts steps, as the transcript
        # "[attacker] " or "[network] " first for an injected one
        if not re.match(r"(\[[^\]]+\] )?" + re.escape(f"#{sid} {s['flags']} "), a["label"]):
            problems.append(f"#{sid}: label {a['label']!r} does not start '#{sid} {s['flags']} '")
        # An injected segment is the network's or an attacker's: it starts
        # beside the timeline, on the wire's side, as the transcript insets it.
        inset = 0.0
        if "injected" in g.get("class", "").split():
            inset = 28.0 if s["src"] == "client" else -28.0
        if a["x1"] != x_of[s["src"]] + inset:
            problems.append(f"#{sid}: starts at x={a['x1']}, not at the {s['src']}'s timeline"
                            f"{' (+28 px, injected)' if inset else ''}")
        if s["fate"] == "arrived":
            if a["x2"] != x_of[other[s["src"]]] or not a["marker"] or a["lost"]:
                problems.append(f"#{sid}: arrived, but does not end in an arrowhead on the receiver's timeline")
            # A lesson's arrows fall exactly by their latency; elsewhere one
            # delivered in the millisecond it was sent still falls a little.
            want = (s["end"] - s["sent"]) * scale
            fall = a["y2"] - a["y1"]
            if (abs(fall - want) > 0.15 if lesson else fall < want - 0.15) or fall <= 0:
                problems.append(f"#{sid}: falls {a['y2'] - a['y1']:.1f} px, its latency "
                                f"{s['end'] - s['sent']} ms is {want:.1f} px")
        elif s["fate"] in ("lost", "dropped"):
            mid = (x_of["client"] + x_of["server"]) / 2
            if not a["lost"] or a["marker"] or a["x2"] != mid or a["y2"] <= a["y1"]:
                problems.append(f"#{sid}: lost, but not drawn down to an X half-way")
    # Crossings: geometry against the log's times, for every opposite pair.
    delivered = [i for i in segs if segs[i]["fate"] == "arrived" and i in arrows]
    crossed = set()
    for i in delivered:
        for j in delivered:
            if i >= j or segs[i]["src"] == segs[j]["src"]:
                continue
            picture, touch = crossing(arrows[i], arrows[j])
            si, sj = segs[i], segs[j]
            in_time = si["sent_at"] < sj["end_at"] and sj["sent_at"] < si["end_at"]
            # One sent in the millisecond the other arrived there: they touch.
            if (picture and not in_time) or (in_time and not picture and not touch):
                problems.append(f"#{i} and #{j}: {'cross' if picture else 'do not cross'} in the picture, "
                                f"but they {'were' if in_time else 'were not'} on the wire together")
            if picture:
                crossed.add((i, j))
    for pair in crossings:
        if pair not in crossed:
            problems.append(f"#{pair[0]} and #{pair[1]} crossed on the wire but not in the picture")
    # States along the timelines, in the log's order.
    drawn = [(g.get("data-ep"), g.get("data-state")) for g in seq.iter(NS + "g")
             if "state" in g.get("class", "").split() and "mark" in g.get("class", "").split()
             and g.get("data-port") is None]
    if drawn != states:
        problems.append(f"states drawn {drawn}, the log's {states}")
    # Figure 5: each endpoint's every transition is on its path there
    # (one of the figure's arcs, or an arc of its own the figure lacks).
    for ep in ("client", "server"):
        path = root.find(f".//{NS}g[@class='path'][@data-ep='{ep}']")
        on_path = {(e.get("data-from"), e.get("data-to")) for e in path} if path is not None else set()
        for move in sorted({m for e, m in transitions if e == ep} - on_path):
            problems.append(f"the {ep}'s {move[0]} -> {move[1]} is not on its path in Figure 5")
    if not lesson:
        return problems
    # Timers: each span runs from when the timer started to when it fired.
    # A retransmission timer starts with the last segment its endpoint sent
    # that carries sequence space; TIME-WAIT's runs 2 x MSL (60 s).
    y_at = {}
    for sid, a in arrows.items():
        y_at[segs[sid]["sent"]] = a["y1"]
        if segs[sid]["fate"] == "arrived":
            y_at[segs[sid]["end"]] = a["y2"]
    timers = [dict(json.loads(line), line=n) for n, line in enumerate(open(log_path, encoding="utf-8"))]
    timers = [o for o in timers if o["type"] == "timer" and "port" not in o]
    spans = [g for g in seq.iter(NS + "g") if g.get("class") == "mark timer"]
    if len(spans) != len(timers):
        problems.append(f"{len(spans)} timers drawn, the log fired {len(timers)}")
    for o, g in zip(timers, spans):
        path = g.find(f"{NS}path[@class='timer-span']")
        if path is None:
            problems.append(f"the {o['timer']} timer of the {o['ep']} at {o['t']} has no span")
            continue
        y0 = float(path.get("d").split()[1].split("h")[0])
        if o["timer"] == "time-wait":
            start = o["t"] - 60000
        else:
            start = max(s["sent"] for s in segs.values() if s["src"] == o["ep"] and s["sent_at"] < o["line"]
                        and s["space"])
        if start not in y_at or abs(y_at[start] - y0) > 0.05:
            problems.append(f"the {o['timer']} timer of the {o['ep']} fired at {o['t']}: its span starts at "
                            f"y={y0}, not at {start} ms (y={y_at.get(start)})")
    # 2 x MSL is a break: the picture stays a page tall.
    span = max(json.loads(line)["t"] for line in open(log_path, encoding="utf-8"))
    if float(root.get("height")) > 1500 or (span < 10000) != (seq.find(f".//{NS}text[@class='break']") is None):
        problems.append(f"no break for the idle stretch (height {root.get('height')})")
    return problems


def main():
    tcpsim = sys.argv[1]
    update = "--update" in sys.argv[2:]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lesson, crossings in LESSONS.items():
            golden = os.path.join(HERE, lesson + ".svg")
            new, log = os.path.join(tmp, lesson + ".svg"), os.path.join(tmp, lesson + ".json")
            run = subprocess.run([tcpsim, "-q", "--lang", "en", "--svg", new, "--json", log,
                                  os.path.join(ROOT, "scenarios", lesson + ".tcpsim")], capture_output=True, text=True)
            problems = [f"tcpsim exit {run.returncode}: {run.stderr.strip()}"] if run.returncode else []
            if not problems and update:
                with open(new, "rb") as src, open(golden, "wb") as dst:
                    dst.write(src.read())
            if not problems and open(new, "rb").read() != open(golden, "rb").read():
                problems.append(f"the picture differs from {os.path.relpath(golden, ROOT)} "
                                f"(run tests/pictures/svgcheck.py TCPSIM --update, then look at it)")
            if not run.returncode:
                problems += check_picture(new, log, crossings)
            if problems:
                failed += 1
                print(f"FAIL {lesson}")
                for p in problems:
                    print(f"  {p}")
            else:
                passed += 1
                print(f"PASS {lesson}: {len(ET.parse(golden).getroot().findall('.//' + NS + 'line'))} lines")
        # Every other scenario: the same rules of arrows, crossings and states.
        for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.tcpsim"))):
            lesson = os.path.basename(path)[:-len(".tcpsim")]
            if lesson in LESSONS:
                continue
            new, log = os.path.join(tmp, lesson + ".svg"), os.path.join(tmp, lesson + ".json")
            subprocess.run([tcpsim, "-q", "--lang", "en", "--svg", new, "--json", log, path], capture_output=True)
            try:
                problems = check_picture(new, log, [], lesson=False)
            except (OSError, ET.ParseError, ValueError, KeyError) as e:
                problems = [f"{type(e).__name__}: {e}"]
            if problems:
                failed += 1
                print(f"FAIL {lesson}")
                for p in problems[:10]:
                    print(f"  {p}")
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
