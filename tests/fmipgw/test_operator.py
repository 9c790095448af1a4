#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The operator's surface of fmipgw (issue 13, point 8): each check failed on the gateway as
it was before, and passes now.

  - EAL --log-level naming fmipgw wins over [log] level (at start), and DEBUG lines exist;
  - a SIGHUP (or several) during start-up does not kill the process;
  - an unwritable --stats-json is refused before anything starts, and a failed write at exit
    makes the exit status 1;
  - lcores polling one CPU are warned about; vdev-only runs are told about --no-pci;
  - `fmipgw --help` without "--" prints the usage;
  - two [ap.*] sections with the same lla, and a key before any section, are refused at their
    line.

usage: test_operator.py GW MKCRED FMIPCTL VECTORS
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_gw as T  # noqa: E402
from test_gw import check, creds, minimal, eal, read_pcap, write_pcap  # noqa: E402


def run(gw, args, timeout=60):
    return subprocess.run([gw] + args, capture_output=True, text=True, timeout=timeout)


def t_log_level(gw, d, tmp, vectors):
    conf = os.path.join(tmp, "log.conf")
    open(conf, "w").write(minimal(d, "[log]\nlevel = info\n"))
    r = run(gw, eal("fmipgw_t_log1", "net_null0") + ["--log-level", "fmipgw.*:err", "--",
                                                    "--config", conf, "--duration", "0.5"])
    out = r.stdout + r.stderr
    check(r.returncode == 0 and "fmipgw.ctrl: control on lcore" not in out and
          "fmipgw.fast: worker 0" not in out,
          "--log-level 'fmipgw.*:err' silences the INFO lines [log] level = info would print")
    # DEBUG lines: the reference RtSolPr served, with fmipgw.*:debug
    ref = read_pcap(os.path.join(vectors, "reference.pcap"))
    inp = os.path.join(tmp, "rts.pcap")
    write_pcap(inp, [ref[0]])
    r = run(gw, eal("fmipgw_t_log2", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (
        inp, os.path.join(tmp, "o.pcap"))) + ["--log-level", "fmipgw.*:debug", "--",
                                             "--config", conf, "--duration", "1"])
    out = r.stdout + r.stderr
    check(r.returncode == 0 and "RtSolPr from 2003::3049:deeb:fd31:70b0" in out,
          "--log-level 'fmipgw.*:debug': the control plane's DEBUG line for the RtSolPr")


def t_sighup_startup(gw, d, tmp):
    conf = os.path.join(tmp, "hup.conf")
    open(conf, "w").write(minimal(d))
    a = [x for x in eal("fmipgw_t_hup", "net_null0") if x != "lib.eal:error"]
    a[a.index("--log-level")] = "--log-level=lib.eal:info"
    p = subprocess.Popen([gw] + a + ["--", "--config", conf],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # the EAL's first line: main() runs (the dynamic loader before it cannot take signals);
    # from there on SIGHUPs while it starts (EAL, ports, credentials, lcores)
    first = p.stdout.readline()
    sent = 0
    for _ in range(30):
        if p.poll() is not None:
            break
        p.send_signal(signal.SIGHUP)
        sent += 1
        time.sleep(0.01)
    time.sleep(1.0)
    alive = p.poll() is None
    p.send_signal(signal.SIGTERM)
    out = (first + p.communicate(timeout=20)[0]).decode(errors="replace")
    check(sent > 0 and alive and p.returncode == 0 and "fmipgw: running" in out,
          "%d SIGHUPs during start-up: still running, SIGTERM exit 0 (rc %s)" % (
              sent, p.returncode))


def t_stats_json(gw, d, tmp):
    conf = os.path.join(tmp, "sj.conf")
    open(conf, "w").write(minimal(d))
    t0 = time.time()
    r = run(gw, eal("fmipgw_t_sj1", "net_null0") + [
        "--", "--config", conf, "--duration", "5", "--stats-json", "/nonexistent/dir/s.json"])
    check(r.returncode == 1 and "--stats-json /nonexistent/dir/s.json: cannot write" in r.stderr
          and time.time() - t0 < 4 and "fmipgw: running" not in r.stdout,
          "an unwritable --stats-json is refused at once, exit 1 (%s)" % r.stderr.strip()[-200:])
    r = run(gw, eal("fmipgw_t_sj2", "net_null0") + [
        "--", "--config", conf, "--duration", "0.5", "--stats-json", "/dev/full"])
    check(r.returncode == 1 and "--stats-json: writing /dev/full failed" in r.stdout + r.stderr,
          "a failed write of --stats-json at exit: exit status 1 (rc %d)" % r.returncode)


def t_lcores_pci(gw, d, tmp):
    conf = os.path.join(tmp, "lc.conf")
    open(conf, "w").write(minimal(d))
    r = run(gw, eal("fmipgw_t_share", "net_null0", lcores="0@0,1@0") +
            ["--", "--config", conf, "--duration", "0.5"])
    out = r.stdout + r.stderr
    check(r.returncode == 0 and "share a CPU (0+1@0)" in out,
          "two lcores polling CPU 0: warned (%s)" % [ln for ln in out.splitlines()
                                                     if "share" in ln])
    a = [x for x in eal("fmipgw_t_pci", "net_null0") if x != "--no-pci"]
    r = run(gw, a + ["--", "--config", conf, "--duration", "0.5"])
    out = r.stdout + r.stderr
    check(r.returncode == 0 and "every port is a virtual device: --no-pci" in out,
          "vdev-only without --no-pci: told about --no-pci")
    r = run(gw, eal("fmipgw_t_pci2", "net_null0") + ["--", "--config", conf, "--duration",
                                                    "0.5"])
    check("--no-pci skips" not in r.stdout + r.stderr, "with --no-pci: no such hint")


def t_help(gw):
    for a in (["--help"], ["-h"]):
        r = run(gw, a)
        check(r.returncode == 0 and "usage: fmipgw [EAL options] -- --config FILE" in r.stdout,
              "`fmipgw %s` without --: usage, exit 0 (rc %d)" % (a[0], r.returncode))


def t_config(gw, d, tmp):
    f = os.path.join(tmp, "ap.conf")
    text = minimal(d) + ("[ap.a]\nlla = 02:00:00:00:00:0a\nkind = no-fmip\n"
                         "[ap.b]\nkind = current-if\nlla = 02:00:00:00:00:0a\n")
    open(f, "w").write(text)
    line = text.splitlines().index("lla = 02:00:00:00:00:0a", text.splitlines().index("[ap.b]"))
    T.refused_at_start_and_check(gw, f, line + 1, "fmipgw_t_apdup", "already the lla",
                                 "two [ap.*] with the same lla")
    f = os.path.join(tmp, "nosec.conf")
    open(f, "w").write("; a comment\nkey_file = x\n" + minimal(d))
    T.refused_at_start_and_check(gw, f, 2, "fmipgw_t_nosec", "key outside of any section",
                                 "a key before any section")


def main():
    gw, mkcred, fmipctl, vectors = sys.argv[1:5]
    tmp = tempfile.mkdtemp()
    try:
        d = creds(tmp, mkcred, fmipctl)
        t_log_level(gw, d, tmp, vectors)
        t_sighup_startup(gw, d, tmp)
        t_stats_json(gw, d, tmp)
        t_lcores_pci(gw, d, tmp)
        t_help(gw)
        t_config(gw, d, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for p in T.PREFIXES:
            shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)
    if T.failures:
        print("%d check(s) failed" % len(T.failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
