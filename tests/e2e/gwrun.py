# SPDX-License-Identifier: BSD-3-Clause
"""What every gateway-on-net_tap test shares (test_gw_e2e.py, test_handover_e2e.py,
test_route_e2e.py, test_secrets.py): the checks and their verdict, the credentials
(conf/make-credentials.sh), network namespaces, moving a TAP port into one, the fmipgw process
(--no-huge --no-pci, its own --file-prefix, net_tap vdevs, started when it prints
"fmipgw: running") with its telemetry client, and the teardown (the gateways killed, the
namespaces, the temporary directory and the DPDK runtime directories removed).

    with Run("e2e") as run:
        cred = run.credentials(mkcred, fmipctl)
        gw = run.gateway(binary, run.write("gw.conf", text), prefix, ifname)
        run.netns(ns)
        link = tap_in_netns(ifname, ns)
        ...
    return verdict(gw)
"""
import ctypes
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import fmippeer as P

failures = []  # what check() found false, for verdict()


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def verdict(gw=None):
    """The test's exit status: 0 if every check held (printed), else 1 with the last of the
    gateway's output."""
    if failures:
        if gw is not None:
            print("gateway output:\n" + gw.out.decode(errors="replace")[-3000:])
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


def setns(name):
    """Enter network namespace name (the sockets made from here on live in it)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open("/var/run/netns/" + name, os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
        raise OSError(ctypes.get_errno(), "setns")
    os.close(fd)


def taps_into_netns(names, ns):
    """Move the gateway's TAP interfaces into ns (made by the caller), IPv6 off (no kernel
    traffic of their own), up."""
    for n in names:
        subprocess.run(["ip", "link", "set", n, "netns", ns], check=True)
    for n in names:
        subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                        "net.ipv6.conf.%s.disable_ipv6=1" % n], check=True)
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", n, "up"], check=True)


def raw_socket(ifname):
    """Raw Ethernet frames (every protocol) on ifname."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((ifname, 0))
    return s


class Gw:
    """The fmipgw binary on net_tap port 0 (iface ifname; more vdevs in extra_eal), started
    when it prints "fmipgw: running", with its telemetry client (tel) unless telemetry is
    false.  cwd and preexec_fn go to the process (e.g. a core limit).  vdev: port 0 instead of
    net_tap0 on ifname (e.g. a net_memif)."""

    def __init__(self, binary, conf, prefix, ifname, extra_eal=(), lcores="0-1", mem="512",
                 cwd=None, preexec_fn=None, telemetry=True, vdev=None):
        self.prefix = prefix
        cmd = [binary, "--no-huge", "--no-pci", "-m", mem, "--file-prefix", prefix,
               "--lcores" if "@" in lcores else "-l", lcores,
               "--vdev", vdev or "net_tap0,iface=%s" % ifname, "--log-level", "lib.eal:error"]
        cmd += list(extra_eal) + ["--", "--config", conf]
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  cwd=cwd, preexec_fn=preexec_fn)
        self.out = b""
        end = time.time() + 30
        while b"fmipgw: running" not in self.out:
            r, _, _ = select.select([self.p.stdout], [], [], 1.0)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.out += chunk
            if time.time() > end or self.p.poll() is not None:
                break
        if b"fmipgw: running" not in self.out:
            self.p.kill()
            raise RuntimeError("gateway did not start:\n" + self.out.decode(errors="replace"))
        self.tel = P.Telemetry(prefix) if telemetry else None

    def stats(self):
        return self.tel.stats()

    def tel_cmd(self, c):
        """The value of telemetry command c ("/fmipgw/key,<addr>": the one of /fmipgw/key)."""
        return self.tel.cmd(c)[c.split(",")[0]]

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signal the gateway and collect its output; its exit status (None: it had to be
        killed after timeout seconds)."""
        self.p.send_signal(sig)
        try:
            self.out += self.p.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.out += self.p.communicate()[0]
            return None
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()


class Run:
    """One test's resources, undone by close() (or leaving the with block) in any case: the
    gateways started through gateway() (killed if still running, their DPDK runtime
    directory removed), the namespaces made through netns(), the temporary directory (made
    here, or tmp: the caller's, kept)."""

    def __init__(self, kind, tmp=None):
        self.own_tmp = tmp is None
        self.tmp = tempfile.mkdtemp(prefix="fmipgw-%s-" % kind) if tmp is None else tmp
        self.gws, self.ns = [], []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, text):
        """A file of the temporary directory with text in it; its path."""
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def credentials(self, mkcred, fmipctl, name="cred", prefix="2003::/64"):
        """The router's credentials (make-credentials.sh) in tmp/name, made once; its path."""
        d = self.path(name)
        if not os.path.exists(d):
            subprocess.run(["sh", mkcred, "--out", d, "--prefix", prefix, "--fmipctl",
                            fmipctl], check=True, stdout=subprocess.DEVNULL)
        return d

    def gateway(self, binary, conf, prefix, ifname, **kw):
        """A started Gw (arguments as Gw's), torn down by close()."""
        self.gws.append(prefix)  # its runtime directory goes even if it does not start
        gw = Gw(binary, conf, prefix, ifname, **kw)
        self.gws[-1] = gw
        return gw

    def netns(self, *names):
        for n in names:
            subprocess.run(["ip", "netns", "add", n], check=True)
            self.ns.append(n)

    def close(self):
        for g in self.gws:
            if isinstance(g, Gw):
                g.kill()
        for n in self.ns:
            subprocess.run(["ip", "netns", "del", n])
        if self.own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        for g in self.gws:
            shutil.rmtree("/var/run/dpdk/" + (g.prefix if isinstance(g, Gw) else g),
                          ignore_errors=True)
        self.gws, self.ns = [], []
