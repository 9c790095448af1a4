#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Plain IPv6 forwarding through an LPM6, Mpps per worker: fmipgw beside DPDK's own l3fwd
(LPM mode, IPv6) from the same run, on the same vdevs, with 1k and 1M routes (issue 11 §6).

usage: bench_fwd.py BUILD_DIR SOURCE_DIR [--smoke] [--routes 1000,1000000] [--secs S]

l3fwd is built from Debian's dpdk-doc examples (/usr/share/dpdk/examples/l3fwd) into
BUILD_DIR/perf/bench-fwd/l3fwd: the example directory is copied there (never into the
repository) and two constants are changed, each checked to match exactly once:
  * main.c: the port's Rx offloads RTE_ETH_RX_OFFLOAD_CHECKSUM -> 0 (no vdev offers Rx checksum
    offload and 22.11's l3fwd refuses to configure such a port; the IPv6 LPM path never reads
    the checksum flags);
  * l3fwd_lpm.c: IPV6_L3FWD_LPM_MAX_RULES 1024 -> 1 << 21 (the 1M-route table).
then `make` (the example's own Makefile: pkg-config libdpdk, -O3).

Both sides run the same way (one worker lcore, EAL --no-huge --no-pci):
  port 0  net_pcap rx_pcap=<flows>.pcap,infinite_rx=1   (frames replayed for ever; an mbuf is
                                                         allocated and the frame copied per
                                                         packet, like NIC RX)
  port 1  net_null,no-rx=1                               (TX frees the mbufs)
every route points to port 1, so port 1's opackets are the packets forwarded.  The rate is
measured from port statistics over the DPDK telemetry socket: opackets of port 1 sampled at t0
and t1 = t0 + SECS after a warm-up; Mpps = delta / (t1 - t0) / 1e6 per worker (one worker),
and TSC ticks per packet = TSC Hz x (t1 - t0) / delta, the TSC Hz being what the EAL of the
same process logged ("TSC frequency is ~N KHz").  A worker polls at 100 %, so ticks per packet
is its whole cost per packet, RX copy and TX free included.

Routes: N /56 prefixes under 2001:db8::/32, the i-th one 2001:db8:ii:ii00::/56 (i in the 24
bits after the /32), all to port 1 (fmipgw: via fe80::1 port 1, a static neighbour).  Flows:
4096 UDP packets of 64 octets (on the wire, without FCS) to ::1 of route (j x 2654435761 mod N).
l3fwd does not decrement the Hop Limit; fmipgw does (it is a router), which it pays for.

--smoke (the meson test in suite perf): 1000 routes, 1 s, and checks only that l3fwd forwards
(port 1 counts packets, port 0 none: the routes took effect).  No figure is asserted.
Figures are measured on a quiet machine (docs/performance.md); this script prints them as a
Markdown table.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import json

EXAMPLE = '/usr/share/dpdk/examples'
PATCHES = [  # (file, old, new): each old must occur exactly once
    ('main.c', '\t\t.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,\n', '\t\t.offloads = 0,\n'),
    ('l3fwd_lpm.c', '#define IPV6_L3FWD_LPM_MAX_RULES         1024\n',
     '#define IPV6_L3FWD_LPM_MAX_RULES         (1 << 21)\n'),
]
N_FLOWS = 4096
EAL = ['--no-huge', '--no-pci', '-m', '1024', '-l', '1', '--log-level', 'lib.eal:debug']


def die(msg):
    print('bench_fwd: ' + msg, file=sys.stderr)
    sys.exit(1)


# ---- l3fwd: build --------------------------------------------------------------------------

def build_l3fwd(out):
    """Copy the example into out, patch, make; returns the binary's path."""
    src = os.path.join(EXAMPLE, 'l3fwd')
    if not os.path.isfile(os.path.join(src, 'main.c')):
        return None
    exe = os.path.join(out, 'l3fwd', 'build', 'l3fwd')
    stamp = os.path.join(out, 'l3fwd.stamp')
    if os.path.exists(exe) and os.path.exists(stamp):
        return exe
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for d in ('l3fwd', 'common'):
        shutil.copytree(os.path.join(EXAMPLE, d), os.path.join(out, d))
    for fname, old, new in PATCHES:
        p = os.path.join(out, 'l3fwd', fname)
        text = open(p).read()
        if text.count(old) != 1:
            die('%s: the l3fwd example changed (%r found %d times)' % (fname, old, text.count(old)))
        open(p, 'w').write(text.replace(old, new))
    r = subprocess.run(['make', '-C', os.path.join(out, 'l3fwd'), '-s'], capture_output=True,
                       text=True)
    if r.returncode != 0 or not os.path.exists(exe):
        die('make l3fwd failed:\n' + r.stdout[-2000:] + r.stderr[-2000:])
    open(stamp, 'w').write('built from %s with %d patches\n' % (src, len(PATCHES)))
    return exe


# ---- inputs ----------------------------------------------------------------------------------

def route_prefix(i):
    b = bytes([0x20, 0x01, 0x0d, 0xb8, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff]) + bytes(9)
    return socket.inet_ntop(socket.AF_INET6, b)


def write_routes(work, n):
    """l3fwd's rule files (IPv6 and the IPv4 one it insists on) and fmipgw's route file."""
    l3 = os.path.join(work, 'l3fwd_v6_%d.cfg' % n)
    l34 = os.path.join(work, 'l3fwd_v4.cfg')
    fg = os.path.join(work, 'fmipgw_routes_%d.txt' % n)
    if not os.path.exists(l3):
        with open(l3, 'w') as a, open(fg, 'w') as b:
            for i in range(n):
                p = route_prefix(i)
                a.write('R%s/56 1\n' % p)
                b.write('%s/56 via fe80::1 port 1\n' % p)
        with open(l34, 'w') as f:
            f.write('R198.18.0.0/15 1\n')
    return l3, l34, fg


PCAP0_MAC = '027063617000'  # net_pcap's first port (the frames are addressed to it, as a
#                             router's input is: fmipgw drops unicast frames for other MACs)


def write_flows(work, n):
    path = os.path.join(work, 'flows_%d_to_%s.pcap' % (n, PCAP0_MAC))
    if os.path.exists(path):
        return path
    frames = []
    for j in range(N_FLOWS):
        i = (j * 2654435761) % n
        dst = socket.inet_pton(socket.AF_INET6, route_prefix(i))[:15] + b'\x01'
        src = socket.inet_pton(socket.AF_INET6, '2001:db8:ffff::%x' % (j + 1))
        payload = b'\x00\x00'
        udp = struct.pack('!HHHH', 40000, 9, 8 + len(payload), 0) + payload
        ip6 = struct.pack('!IHBB', 6 << 28, len(udp), 17, 64) + src + dst + udp
        eth = bytes.fromhex(PCAP0_MAC + '020000000009' '86dd')
        frames.append(eth + ip6)  # 64 octets
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for p in frames:
            f.write(struct.pack('<IIII', 0, 0, len(p), len(p)) + p)
    return path


# ---- measuring -------------------------------------------------------------------------------

def telemetry(prefix, cmd):
    path = '/var/run/dpdk/%s/dpdk_telemetry.v2' % prefix
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    s.recv(1024)  # the greeting
    s.send(cmd.encode())
    r = json.loads(s.recv(1 << 16).decode())
    s.close()
    return r


def port_stats(prefix, port):
    return telemetry(prefix, '/ethdev/stats,%d' % port)['/ethdev/stats']


class Proc:
    """A DPDK process whose output is read by a thread: its TSC Hz, the line that says it is
    forwarding, and the tail of the rest (IPv6 route-add lines are counted, not kept)."""

    def __init__(self, argv, ready):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, errors='replace')
        self.ready_re, self.ready = re.compile(ready), threading.Event()
        self.tsc_hz, self.tail, self.routes_added = None, [], 0
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for ln in self.p.stdout:
            if ln.startswith('LPM: Adding route'):
                self.routes_added += ':' in ln.split()[3]  # IPv6 ones only
                continue
            m = re.search(r'TSC frequency is ~(\d+) KHz', ln)
            if m:
                self.tsc_hz = int(m.group(1)) * 1000
            if self.ready_re.search(ln):
                self.ready.set()
            if not ln.startswith('EAL: '):
                self.tail = (self.tail + [ln.rstrip()])[-40:]

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            try:
                self.p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.t.join(timeout=5)


def measure(proc, prefix, secs, timeout, probe=None):
    """Wait until proc forwards, then sample port stats over secs (and probe(), if given, at
    both ends: 'probe' is its difference).  Returns a dict."""
    if not proc.ready.wait(timeout):
        proc.stop()
        die('not forwarding after %d s:\n%s' % (timeout, '\n'.join(proc.tail)))
    time.sleep(0.5)  # warm-up
    p0 = probe() if probe else {}
    a0, b0, t0 = port_stats(prefix, 0), port_stats(prefix, 1), time.monotonic()
    time.sleep(secs)
    a1, b1, t1 = port_stats(prefix, 0), port_stats(prefix, 1), time.monotonic()
    p1 = probe() if probe else {}
    proc.stop()
    fwd = b1['opackets'] - b0['opackets']
    dt = t1 - t0
    return {'fwd': fwd, 'dt': dt, 'back': a1['opackets'] - a0['opackets'],
            'rx': a1['ipackets'] - a0['ipackets'], 'missed': a1['imissed'] - a0['imissed'],
            'mpps': fwd / dt / 1e6,
            'ticks': proc.tsc_hz * dt / fwd if fwd and proc.tsc_hz else None,
            'tsc_hz': proc.tsc_hz,
            'probe': {k: p1[k] - p0[k] for k in p0 if isinstance(p0[k], int)}}


def run_l3fwd(exe, work, n, secs):
    l3, l34, _ = write_routes(work, n)
    pcap = write_flows(work, n)
    prefix = 'bfwd_l3_%d_%d' % (n, os.getpid())
    argv = [exe] + EAL + ['--file-prefix', prefix,
                          '--vdev', 'net_pcap0,rx_pcap=%s,infinite_rx=1' % pcap,
                          '--vdev', 'net_null0,no-rx=1',
                          '--', '-p', '0x3', '--config', '(0,0,1)', '--lookup', 'lpm',
                          '--parse-ptype', '--rule_ipv6', l3, '--rule_ipv4', l34,
                          '--eth-dest', '1,02:00:00:00:00:02']
    proc = Proc(argv, r'L3FWD: entering main loop')
    r = measure(proc, prefix, secs, timeout=120 + n // 10000)
    r['argv'] = argv
    r['routes_added'] = proc.routes_added
    return r


FMIPGW_CONF = """[router]
key_file = {cred}/router.key.pem
params_file = {cred}/router.cga.params
cert_file = {cred}/router.chain.pem
anchor_file = {cred}/trust-anchor.pem
prefixes = 2003::/64
[par]
addresses = 2003::1
[ports]
mbufs = 16383
rx_desc = 1024
tx_desc = 1024
burst = 32
[routes]
max_routes = {max_routes}
tbl8_groups = {tbl8}
file = {routes}
[neighbours]
static.nh = fe80::1 port 1 02:00:00:00:00:02
"""


def fmipgw_conf(build, source, work, n):
    """Credentials (once) and the gateway's configuration for n routes."""
    cred = os.path.join(work, 'cred')
    if not os.path.exists(os.path.join(cred, 'router.key.pem')):
        r = subprocess.run(['sh', os.path.join(source, 'conf', 'make-credentials.sh'), '--out',
                            cred, '--prefix', '2003::/64', '--fmipctl',
                            os.path.join(build, 'app', 'fmipctl', 'fmipctl')],
                           capture_output=True, text=True)
        if r.returncode != 0:
            die('make-credentials.sh failed:\n' + r.stdout[-1000:] + r.stderr[-1000:])
    conf = os.path.join(work, 'fmipgw_%d.conf' % n)
    with open(conf, 'w') as f:
        f.write(FMIPGW_CONF.format(cred=cred, max_routes=n + 16, tbl8=n // 128 + 256,
                                   routes=write_routes(work, n)[2]))
    return conf


def gw_stats(prefix):
    return telemetry(prefix, '/fmipgw/stats')['/fmipgw/stats']


def run_fmipgw(build, source, work, n, secs):
    """The fmipgw side: the same vdevs, flows, routes (write_routes' fmipgw file) and sampling;
    a static neighbour fe80::1 on port 1 (l3fwd's --eth-dest), the control lcore on lcore 0 and
    the one worker on lcore 1 (l3fwd's lcore).  Returns measure()'s dict and the gateway's
    counters over the measurement, or None when the binary was not built."""
    exe = os.path.join(build, 'app', 'fmipgw', 'fmipgw')
    if not os.path.exists(exe):
        return None
    conf = fmipgw_conf(build, source, work, n)
    pcap = write_flows(work, n)
    prefix = 'bfwd_gw_%d_%d' % (n, os.getpid())
    argv = [exe] + [x if x != '1' else '0-1' for x in EAL] + [
        '--file-prefix', prefix, '--vdev', 'net_pcap0,rx_pcap=%s,infinite_rx=1' % pcap,
        '--vdev', 'net_null0,no-rx=1', '--', '--config', conf]
    proc = Proc(argv, r'fmipgw: running')
    if not proc.ready.wait(120 + n // 5000):
        proc.stop()
        die('fmipgw did not start:\n%s' % '\n'.join(proc.tail))
    r = measure(proc, prefix, secs, timeout=1, probe=lambda: gw_stats(prefix))
    r['argv'] = argv
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('build')
    ap.add_argument('source')
    ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--routes', default='1000,1000000')
    ap.add_argument('--secs', type=float, default=5.0)
    a = ap.parse_args()
    out = os.path.join(os.path.abspath(a.build), 'perf', 'bench-fwd')
    work = os.path.join(out, 'work')
    os.makedirs(work, exist_ok=True)
    exe = build_l3fwd(os.path.join(out, 'l3fwd-build'))
    if exe is None:
        print('bench_fwd: %s/l3fwd not found: install dpdk-doc (scripts/deps.sh)' % EXAMPLE)
        sys.exit(77 if a.smoke else 1)
    routes = [1000] if a.smoke else [int(x) for x in a.routes.split(',')]
    secs = 1.0 if a.smoke else a.secs
    print('# bench-fwd: IPv6 LPM forwarding, 1 worker, 64-octet frames, net_pcap infinite_rx '
          '-> net_null; %s s per run\n' % secs)
    print('| routes | l3fwd Mpps/worker | l3fwd TSC ticks/pkt | fmipgw Mpps/worker | '
          'fmipgw TSC ticks/pkt | ratio | target |')
    print('|---|---|---|---|---|---|---|')
    for n in routes:
        r = run_l3fwd(exe, work, n, secs)
        if r['routes_added'] != n:
            die('l3fwd added %d routes, expected %d' % (r['routes_added'], n))
        if r['fwd'] <= 0 or r['back'] != 0:
            die('l3fwd did not route: port 1 sent %d, port 0 sent %d' % (r['fwd'], r['back']))
        g = run_fmipgw(a.build, a.source, work, n, secs)
        if g is not None:
            check_fmipgw(g)
        gm = '%.2f' % g['mpps'] if g else 'not built'
        gt = '%.0f' % g['ticks'] if g and g['ticks'] else '-'
        ratio = '%.2f' % (g['mpps'] / r['mpps']) if g else '-'
        lt = '%.0f' % r['ticks'] if r['ticks'] else '-'
        print('| %d | %.2f | %s | %s | %s | %s | >= 0.9 |' % (n, r['mpps'], lt, gm, gt, ratio))
    print('\nl3fwd: %s' % ' '.join(r['argv']))
    if g is not None:
        print('fmipgw: %s' % ' '.join(g['argv']))
    if a.smoke:
        print('smoke: l3fwd and fmipgw built and forwarded through their LPM6 (no figure '
              'asserted); ok')


def check_fmipgw(g):
    """The gateway routed what port 1 sent (its FIB and static neighbour), and nothing else."""
    c = g['probe']
    # the counters and the port statistics are sampled one after the other: a burst or two
    # counted by the worker may not have reached the port's statistics yet (64 of slack)
    if g['fwd'] <= 0 or g['back'] != 0 or c.get('fwd_packets', 0) + 64 < g['fwd']:
        die('fmipgw did not route: port 1 sent %d, port 0 %d, fwd_packets %d' % (
            g['fwd'], g['back'], c.get('fwd_packets', 0)))
    lost = {k: v for k, v in c.items() if v and (k.startswith('fwd_drop') or k in (
        'drop_malformed', 'fwd_to_resolve', 'drop_pass'))}
    if lost:
        die('fmipgw: packets not routed during the run: %s' % lost)


if __name__ == '__main__':
    main()
