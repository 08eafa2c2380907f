#!/usr/bin/env python3
"""compare.py - tcpsim's linux profile against recordings of the real kernel.

    python3 tests/oracle/compare.py TCPSIM [DIR] [NAME...] [-v] [--scenario NAME] [--profile P]

For every DIR/NAME.json recorded by ../shared/oracle/kernel_peer.py
(default DIR: tests/oracle/linux-6.18), build a tcpsim scenario in which
the server plays the kernel, run it under `set profile linux`, and compare
what the kernel did with what tcpsim does: every segment the kernel sent
(flags, relative seq and ack, length, window) in order, the kernel's state
after every segment event, and the delay of each kernel segment since the
event before it within max(15 ms, 15 %) (the kernel's timer wheel).

The scenario sets only what the recording fixes, never the stack:
  - a latency of 0 (the peer sits on a TUN); the kernel's ISNs are
    tcpsim's own (the peer's numbers are worked out from them), so that the
    ISN of a later incarnation can be compared: its distance from the one
    before within 15 % (a 64 ns clock, or TIME-WAIT's +65537);
  - the sysctls the recording applied that a setting models
    (tcp_invalid_ratelimit -> set ratelimit); the others switch off what
    tcpsim does not model (timestamps, SACK, window scaling, ECN...);
  - the peer: each of its segments injected at its time; it never answers,
    so what the kernel sends is lost on the way (loss server->client 100);
  - the kernel's application: listen, connect, send, recv, shutdown, close
    as the recording called them (accept and closing the listener change
    nothing tcpsim models: the server's one TCB is the connection).
Times are rounded to whole milliseconds, each call at least 1 ms after
the one before.  Exit status 0 when every recording agrees.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

PEER_ISN = 1000
HERE = os.path.dirname(os.path.abspath(__file__))
SETTING_OF_SYSCTL = {
    'net.ipv4.tcp_invalid_ratelimit': lambda v: 'set ratelimit %sms' % v,
}


def flags_of(text):
    """'SYN|ACK' or ['SYN','ACK'] -> 'SYN,ACK' in Wireshark order."""
    names = text.split('|') if isinstance(text, str) else text
    order = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG']
    return ','.join(f for f in order if f in names)


def signed(x):
    x &= 0xffffffff
    return x - (1 << 32) if x >= 1 << 31 else x


class Build:
    """The scenario, line by line, and the times of the kernel's calls."""

    def __init__(self, name, events, meta, tcpsim, profile):
        self.name, self.events, self.tcpsim = name, events, tcpsim
        self.lines = ['# built by tests/oracle/compare.py from the recording %s' % name,
                      'set profile %s' % profile, 'set latency 0ms']
        for key, value, _ in meta.get('sysctls_applied', []):
            if key in SETTING_OF_SYSCTL:
                self.lines.append(SETTING_OF_SYSCTL[key](value))
        self.lines.append('loss server->client 100')
        self.lines.append('set server autoread off')     # the kernel's application reads at recv()
        self.now = 0
        self.last = -1              # the time of the last call or injection
        self.app_times = []         # (t in tcpsim, index of the recording's event)
        self.times = {}             # index of a call or probe -> its time in tcpsim

    def at(self, t_ms):
        """Move the clock to t_ms, at least 1 ms after the last call."""
        t = max(int(round(t_ms)), self.last + 1, self.now)
        self.last = t
        if t > self.now:
            self.lines.append('advance %dms' % (t - self.now))
            self.now = t
        return t


def run_tcpsim(tcpsim, lines):
    """Run the scenario; returns the JSON log's objects."""
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, 'log.json')
        p = subprocess.run([tcpsim, '-q', '--json', log], input='\n'.join(lines) + '\n',
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError('tcpsim failed (%d): %s' % (p.returncode, p.stderr.strip()))
        with open(log) as f:
            return [json.loads(x) for x in f if x.strip()]


def last_server_isn(log):
    isn = None
    for e in log:
        if e['type'] == 'send' and e['src'] == 'server' and 'SYN' in e['flags']:
            isn = e['seq']
    return isn


def build(name, events, meta, tcpsim, profile='linux'):
    """The scenario for one recording, and the tcpsim times of its calls."""
    b = Build(name, events, meta, tcpsim, profile)
    kernel_isn = None
    new_syn = False             # the kernel sent a SYN: its ISN may have changed
    calls = {'listen()': 'server listen', 'connect()': 'server connect', 'close()': 'server close',
             'shutdown(SHUT_WR)': 'server shutdown'}
    for i, e in enumerate(events):
        if e['dir'] == 'kernel->peer' and 'SYN' in e['flags']:
            new_syn = True
        if e['dir'] in ('app', 'note'):
            b.times[i] = b.at(e['t_ms'])
        if e['dir'] == 'app':
            act = e['action']
            cmd = calls.get(act)
            if act.startswith('send('):
                cmd = 'server send %s' % act[5:-1]
            elif act.startswith('recv(') and not str(e.get('result', '')).startswith('EOF'):
                cmd = 'server read'         # data, or the error; EOF reads nothing'
            if cmd:
                b.app_times.append((b.times[i], i))
                b.lines.append(cmd)
                if re.fullmatch(r'E[A-Z]+', str(e.get('result', '')).strip("'")) and 'EINPROGRESS' not in e['result']:
                    b.lines.append('expect error')       # EPIPE, ECONNRESET: the call fails here too
        elif e['dir'] == 'peer->kernel':
            t = b.at(e['t_ms'])
            b.app_times.append((t, i))
            seq = e['seq'] if e.get('seq_basis') == 'absolute' else PEER_ISN + e['rel_seq']
            fields = ['inject', 'client->server', flags_of(e['flags']), 'seq=%d' % (seq & 0xffffffff)]
            if e['rel_ack'] is not None:
                if e.get('ack_basis') == 'absolute' or (kernel_isn is None and not new_syn):
                    ack = e['ack']
                else:
                    if new_syn:
                        kernel_isn = last_server_isn(run_tcpsim(b.tcpsim, b.lines))
                        new_syn = False
                    ack = kernel_isn + e['rel_ack']
                fields.append('ack=%d' % (ack & 0xffffffff))
            if e['len']:
                fields.append('len=%d' % e['len'])
            fields.append('win=%d' % e['win'])
            if e.get('opts', {}).get('mss'):
                fields.append('mss=%d' % e['opts']['mss'])
            b.lines.append(' '.join(fields))
    last = max([e['t_ms'] for e in events if 't_ms' in e] + [0])
    b.at(last + 1)
    return b


def simulated(log):
    """tcpsim's segment events as the recording writes them, with the
    server's state after each (at the end of the same instant)."""
    sent = {}
    out = []
    state = 'CLOSED'
    base = None
    for e in log:
        if e['type'] == 'state' and e['ep'] == 'server':
            state = e['to']
            for o in out:
                if o['t'] == e['t'] and o['_open']:
                    o['kernel_state_after'] = state
        elif e['type'] == 'send':
            sent[e['id']] = e
            if e['src'] == 'server':
                if 'SYN' in e['flags']:
                    base = e['seq']
                out.append(segment(e, 'kernel->peer', base, state))
        elif e['type'] == 'deliver':
            g = sent[e['id']]
            if g['src'] == 'client':
                out.append(segment(g, 'peer->kernel', base, state, e['t']))
        for o in out:
            if o['t'] != e['t']:
                o['_open'] = False
    return out


def segment(e, direction, base, state, t=None):
    flags = e['flags']
    kernel = direction == 'kernel->peer'
    own, other = (base, PEER_ISN) if kernel else (PEER_ISN, base)
    return {
        'dir': direction, 'flags': flags_of(flags), 't': e['t'] if t is None else t,
        'seq': e['seq'], 'ack': e['ack'] if 'ACK' in flags else None,
        'rel_seq': signed(e['seq'] - own) if own is not None else e['seq'],
        'rel_ack': (signed(e['ack'] - other) if other is not None else e['ack']) if 'ACK' in flags else None,
        'len': e['len'], 'win': e['win'], 'kernel_state_after': state, '_open': True,
    }


def recorded(events):
    out = []
    for e in events:
        if e['dir'] in ('peer->kernel', 'kernel->peer'):
            out.append(dict(e, flags=flags_of(e['flags'])))
    return out


def delays(seq, calls):
    """Each kernel segment's delay since the event before it (segments and
    the kernel's calls)."""
    times = sorted([(t, 0) for t in calls] + [(s['t'], 1) for s in seq])
    out, prev = [], None
    i = 0
    for t, kind in times:
        if kind == 1:
            out.append(None if prev is None else t - prev)
            i += 1
        prev = t
    return out


def server_states(log):
    """(t, state) at each change of the server's state."""
    return [(e['t'], e['to']) for e in log if e['type'] == 'state' and e['ep'] == 'server']


def state_at(changes, t):
    st = 'CLOSED'
    for when, to in changes:
        if when <= t:
            st = to
    return st


def compare_isns(events, log):
    """The distance of each new kernel ISN from the one before (the
    recording notes it when the kernel's SYN changes it)."""
    want = [int(m.group(1)) for e in events
            for m in [re.search(r'previous ISN \+(\d+)', e.get('note', ''))] if m]
    isns = []
    for e in log:
        if e['type'] == 'send' and e['src'] == 'server' and 'SYN' in e['flags'] and \
                (not isns or isns[-1] != e['seq']):
            isns.append(e['seq'])
    got = [(b - a) & 0xffffffff for a, b in zip(isns, isns[1:])]
    if len(got) != len(want):
        return 'kernel ISNs: Linux changed it %d times, tcpsim %d' % (len(want), len(got))
    for w, g in zip(want, got):
        if abs(w - g) > 0.15 * w:
            return 'new kernel ISN: Linux previous +%d, tcpsim previous +%d' % (w, g)
    return None


def compare_states(events, log, times):
    """The kernel's state after each of its calls and at each probe."""
    changes = server_states(log)
    prev_seg = 0.0
    for i, e in enumerate(events):
        if e['dir'] in ('peer->kernel', 'kernel->peer'):
            prev_seg = e['t_ms']
        if i not in times or not e.get('kernel_state_after'):
            continue
        want, got = e['kernel_state_after'], state_at(changes, times[i])
        what = e.get('action') or e.get('text', '')
        if want != got:
            return 'after %s at %.1f ms: Linux %s, tcpsim %s' % (what, e['t_ms'], want, got)
        if e['dir'] == 'note' and what.startswith('state is now'):
            when = max([t for t, to in changes if t <= times[i]] + [0])
            span = e['t_ms'] - prev_seg
            if abs(when - e['t_ms']) > max(15.0, 0.15 * span):
                return '%s: Linux by %.1f ms, tcpsim at %d ms' % (what, e['t_ms'], when)
    return None


def fields(e):
    seq = e['seq'] if e.get('seq_basis') == 'absolute' else e['rel_seq']
    ack = e['ack'] if e.get('ack_basis') == 'absolute' and e['rel_ack'] is not None else e['rel_ack']
    return (e['dir'], e['flags'], seq, ack, e['len'], e['win'], e['kernel_state_after'])


def show(e):
    if e is None:
        return '(nothing)'
    d, fl, seq, ack, ln, win, st = fields(e)
    return '%-12s %-8s seq=%d%s len=%d win=%d -> %s' % (
        'kernel sends' if d == 'kernel->peer' else 'peer sends', fl, seq,
        '' if ack is None else ' ack=%d' % ack, ln, win, st)


def compare(name, events, sim_log, calls_sim):
    rec = recorded(events)
    sim = simulated(sim_log)
    # the recording's delays: since the event before (segments and calls, not probes)
    prev, rec_delay = None, []
    for e in events:
        if e['dir'] in ('peer->kernel', 'kernel->peer'):
            rec_delay.append(None if prev is None else e['t_ms'] - prev)
        if e['dir'] in ('peer->kernel', 'kernel->peer', 'app'):
            prev = e['t_ms']
    sim_delay = delays(sim, calls_sim)
    for i in range(max(len(rec), len(sim))):
        a = rec[i] if i < len(rec) else None
        s = sim[i] if i < len(sim) else None
        if a is None or s is None:
            return i, 'segment', a, s
        ka, ks = fields(a), list(fields(s))
        if a.get('seq_basis') == 'absolute':
            ks[2] = s['seq']
        if a.get('ack_basis') == 'absolute' and s['ack'] is not None:
            ks[3] = s['ack']
        if ka != tuple(ks):
            return i, 'segment', a, s
        if a['dir'] == 'kernel->peer' and rec_delay[i] is not None and sim_delay[i] is not None:
            if abs(rec_delay[i] - sim_delay[i]) > max(15.0, 0.15 * rec_delay[i]):
                return i, 'timing (%.1f ms after the event before, tcpsim %d ms)' % (
                    rec_delay[i], sim_delay[i]), a, s
    return None


def main(argv):
    verbose = '-v' in argv
    argv = [a for a in argv if a != '-v']
    show_scenario = None
    profile = 'linux'
    if '--profile' in argv:
        k = argv.index('--profile')
        profile = argv[k + 1]
        del argv[k:k + 2]
    if '--scenario' in argv:
        k = argv.index('--scenario')
        show_scenario = argv[k + 1]
        del argv[k:k + 2]
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    tcpsim = argv[0]
    rest = argv[1:]
    directory = os.path.join(HERE, 'linux-6.18')
    if rest and os.path.isdir(rest[0]):
        directory, rest = rest[0], rest[1:]
    names = rest or sorted(f[:-5] for f in os.listdir(directory)
                           if f.endswith('.json') and not f.endswith('.meta.json'))
    if show_scenario:
        names = [show_scenario]
    agree = 0
    for name in names:
        with open(os.path.join(directory, name + '.json')) as f:
            events = json.load(f)
        meta = {}
        mp = os.path.join(directory, name + '.meta.json')
        if os.path.exists(mp):
            with open(mp) as f:
                meta = json.load(f)
        b = build(name, events, meta, tcpsim, profile)
        if show_scenario:
            print('\n'.join(b.lines))
            return 0
        calls = [t for t, i in b.app_times if events[i]['dir'] == 'app']
        try:
            log = run_tcpsim(tcpsim, b.lines)
            problem = compare(name, events, log, calls)
            if problem is None:
                bad = compare_states(events, log, b.times) or compare_isns(events, log)
                if bad:
                    problem = (-1, bad, None, None)
        except RuntimeError as err:
            problem = (-1, str(err), None, None)
        n = sum(1 for e in events if e['dir'] in ('peer->kernel', 'kernel->peer'))
        if problem is None:
            agree += 1
            if verbose:
                print('OK    %-36s %d segments' % (name, n))
            continue
        i, what, a, s = problem
        if i < 0:
            print('DIFF  %-36s %s' % (name, what))
            continue
        print('DIFF  %-36s at segment %d: %s' % (name, i + 1, what))
        print('      Linux:  %s' % show(a))
        print('      tcpsim: %s' % show(s))
    print('%d of %d recordings agree with the %s profile' % (agree, len(names), profile))
    return 0 if agree == len(names) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
