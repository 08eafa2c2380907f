#!/usr/bin/env python3
"""verify.py - runs every scenario with --json and --pcap, then checks

  * every line of the JSON log parses and has the fields of SPEC section 5,
    and the log is in time order (a "reset" or "undo" may restart it);
  * tshark decodes the capture packet by packet as the log's send events
    (addresses, ports, flags, seq, ack, len, window, and the MSS option:
    tcp.options.mss_val is the log's "options":{"mss":N}, and every SYN
    the TCBs send carries one, RFC 9293 3.7.1);
  * tshark finds no bad checksum and no malformed packet;
  * tshark's tcp.analysis.retransmission marks exactly the segments the
    log marks "retransmit".

usage: verify.py TCPSIM SCENARIO...   prints one line per scenario and
"N passed, N failed"; exit 1 when any failed.
"""
import json
import os
import subprocess
import sys
import tempfile

ADDR = {"client": "10.0.0.1", "server": "10.0.0.2"}
FLAG_BITS = {"FIN": 0x01, "SYN": 0x02, "RST": 0x04, "PSH": 0x08, "ACK": 0x10, "URG": 0x20}
WIRESHARK_ORDER = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"]

# SPEC section 5: the fields of each type (besides "t" and "type").
FIELDS = {
    "state": {"ep": str, "from": str, "to": str, "why": str},
    "send": {"id": int, "src": str, "dst": str, "flags": list, "seq": int, "ack": int,
             "len": int, "win": int, "retransmit": bool, "sport": int, "dport": int},
    "deliver": {"id": int},
    "drop": {"id": int, "reason": str},
    "timer": {"ep": str, "timer": str},
    "expect": {"line": int, "ok": bool},
    "error": {"message": str},
    "receive": {"ep": str, "len": int},
    "signal": {"ep": str, "message": str},
    "note": {"ep": str, "why": str},
    "reset": {},
    "undo": {},
    "caption": {"text": str},
}
STATES = {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
          "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"}
TSHARK_FIELDS = ["ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw",
                 "tcp.ack_raw", "tcp.len", "tcp.window_size_value", "ip.checksum.status",
                 "tcp.checksum.status", "tcp.analysis.retransmission", "_ws.malformed",
                 "_ws.expert.severity", "tcp.options.mss_val"]


def check_json(lines):
    """Returns (send events, problems)."""
    sends, problems, last_t = [], [], 0
    for n, text in enumerate(lines, 1):
        try:
            o = json.loads(text)
        except ValueError as e:
            problems.append(f"json line {n} does not parse: {e}")
            continue
        kind = o.get("type")
        if not isinstance(o.get("t"), int) or kind not in FIELDS:
            problems.append(f"json line {n}: no integer t or unknown type: {text}")
            continue
        for name, want in FIELDS[kind].items():
            if not isinstance(o.get(name), want) or (want is int and isinstance(o.get(name), bool)):
                problems.append(f"json line {n}: {kind} needs {name} as {want.__name__}: {text}")
        if kind in ("reset", "undo"):
            last_t = 0
        elif o["t"] < last_t:
            problems.append(f"json line {n}: t={o['t']} goes back from {last_t}")
        last_t = max(last_t, o["t"]) if kind not in ("reset", "undo") else o["t"]
        if kind == "state" and not {o["from"], o["to"]} <= STATES:
            problems.append(f"json line {n}: not a state name: {text}")
        if kind == "drop" and o["reason"] not in ("user", "loss"):
            problems.append(f"json line {n}: drop reason: {text}")
        if kind == "send":
            opts = o.get("options", {})
            if not isinstance(opts, dict) or set(opts) - {"mss"} or not isinstance(opts.get("mss", 0), int):
                problems.append(f"json line {n}: options must be {{\"mss\": N}}: {text}")
            if "SYN" in o["flags"] and o.get("origin") == "tcb" and not opts.get("mss"):
                problems.append(f"json line {n}: a SYN from a TCB without the MSS option: {text}")
            if sorted(o["flags"], key=WIRESHARK_ORDER.index) != o["flags"]:
                problems.append(f"json line {n}: flags not in Wireshark order: {text}")
            sends.append(o)
    return sends, problems


def tshark(pcap):
    out = subprocess.run(["tshark", "-r", pcap, "-n", "-o", "tcp.check_checksum:TRUE",
                          "-o", "ip.check_checksum:TRUE", "-o", "tcp.relative_sequence_numbers:FALSE",
                          "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                          *sum((["-e", f] for f in TSHARK_FIELDS), [])],
                         capture_output=True, text=True, check=True).stdout
    return [dict(zip(TSHARK_FIELDS, line.split("|"))) for line in out.splitlines()]


def compare(sends, packets):
    problems = []
    if len(sends) != len(packets):
        problems.append(f"{len(sends)} send events but {len(packets)} packets")
    for s, p in zip(sends, packets):
        flags = sum(FLAG_BITS[f] for f in s["flags"])
        want = {"ip.src": ADDR[s["src"]], "ip.dst": ADDR[s["dst"]],
                "tcp.srcport": str(s["sport"]), "tcp.dstport": str(s["dport"]),
                "tcp.flags": f"0x{flags:04x}", "tcp.seq_raw": str(s["seq"]),
                "tcp.ack_raw": str(s["ack"]), "tcp.len": str(s["len"]),
                "tcp.window_size_value": str(s["win"]),
                "tcp.options.mss_val": str(s.get("options", {}).get("mss", ""))}
        for field, value in want.items():
            if p[field] != value:
                problems.append(f"#{s['id']}: tshark {field}={p[field]}, log {value}")
        if p["ip.checksum.status"] != "1" or p["tcp.checksum.status"] != "1":
            problems.append(f"#{s['id']}: checksum status ip={p['ip.checksum.status']} "
                            f"tcp={p['tcp.checksum.status']} (1 is good)")
        if p["_ws.malformed"]:
            problems.append(f"#{s['id']}: tshark says malformed")
        tshark_rtx = p["tcp.analysis.retransmission"] != ""
        if tshark_rtx != s["retransmit"]:
            problems.append(f"#{s['id']} {'/'.join(s['flags'])} seq={s['seq']}: tshark retransmission="
                            f"{tshark_rtx}, log retransmit={s['retransmit']}")
    return problems


def main():
    tcpsim, scenarios = sys.argv[1], sys.argv[2:]
    passed = failed = total_sends = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in scenarios:
            name = os.path.basename(path)
            js, pcap = os.path.join(tmp, name + ".json"), os.path.join(tmp, name + ".pcap")
            run = subprocess.run([tcpsim, "-q", "--json", js, "--pcap", pcap, path],
                                 capture_output=True, text=True)
            problems = [] if run.returncode == 0 else [f"tcpsim exit {run.returncode}: {run.stderr.strip()}"]
            with open(js, encoding="utf-8") as f:
                sends, p = check_json(f.read().splitlines())
            problems += p
            total_sends += len(sends)
            problems += compare(sends, tshark(pcap))
            if problems:
                failed += 1
                print(f"FAIL {path}")
                for p in problems:
                    print(f"  {p}")
            else:
                passed += 1
                print(f"PASS {path} ({len(sends)} segments)")
    if total_sends == 0:
        print("FAIL: no scenario logged a single send event")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
