# SPDX-License-Identifier: BSD-3-Clause
"""fmip-mn against a running fmipgw, for the tests, the demo (tests/e2e/gw_demo.py) and
perf/bench-gw: the gateway's TAP moved into a network namespace, fmip-mn run inside it on an
af_packet port over that TAP, and what fmip-mn's report says it sent and received turned into
the gateway counter deltas that must follow (written here from the gateway's documented
counters, docs/operations.md section 9, not from fmip-mn's code).

Until the handover data plane lands the gateway sends no FBack and tunnels nothing: data to a
PCoA is passed through (pass_through = same) or dropped, and the expectations say so."""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from test_gw_e2e import Gw, tap_in_netns  # noqa: E402

TUNNEL_PENDING = True  # flip when lib/binding tunnels: data then arrives at the NCoA


class Checks:
    """check(cond, what) prints ok/FAIL and remembers failures; done() ends a test."""

    def __init__(self):
        self.fails = []

    def __call__(self, cond, what):
        print(("ok   " if cond else "FAIL ") + what, flush=True)
        if not cond:
            self.fails.append(what)

    def done(self, on_fail=None):
        if self.fails:
            if on_fail:
                on_fail()
            print("%d check(s) failed" % len(self.fails))
            return 1
        print("all checks passed")
        return 0


@contextlib.contextmanager
def gateway_in_netns(gw_bin, fmipctl, mkcred, name, conf_text):
    """Throw-away credentials (make-credentials.sh), the gateway on net_tap with
    conf_text(cred_dir) as its configuration, its TAP moved into a new network namespace
    that this process enters (tap_in_netns).  Yields a dict: gw, link, ifname, tmp, cred,
    conf, anchor.  Everything is removed afterwards."""
    tag = str(os.getpid())
    ctx = {"tmp": tempfile.mkdtemp(prefix="fmip-mn-%s-" % name),
           "ifname": "fm%s%s" % (name[:3], tag[-6:])}
    ns, prefix = "fmip_mn_%s_%s" % (name, tag), "fmipgw_%s_%s" % (name, tag)
    ctx["prefix"] = prefix
    ctx["cred"] = cred = os.path.join(ctx["tmp"], "cred")
    ctx["anchor"] = os.path.join(cred, "trust-anchor.pem")
    ctx["conf"] = os.path.join(ctx["tmp"], "gw.conf")
    gw = None
    try:
        subprocess.run(["sh", mkcred, "--out", cred, "--prefix", "2003::/64", "--fmipctl",
                        fmipctl], check=True, stdout=subprocess.DEVNULL)
        with open(ctx["conf"], "w") as f:
            f.write(conf_text(cred))
        gw = ctx["gw"] = Gw(gw_bin, ctx["conf"], prefix, ctx["ifname"])
        subprocess.run(["ip", "netns", "add", ns], check=True)
        ctx["link"] = tap_in_netns(ctx["ifname"], ns)
        yield ctx
    finally:
        if gw is not None and gw.p.poll() is None:
            gw.p.kill()
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        shutil.rmtree(ctx["tmp"], ignore_errors=True)
        for p in os.listdir("/var/run/dpdk") if os.path.isdir("/var/run/dpdk") else []:
            if p.endswith(tag) and ("fmip" in p):
                shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)


def run_mn(mn, ifname, prefix, args, lcores="0", timeout=600, rt=False):
    """fmip-mn on an af_packet port over ifname (the caller is in the namespace).  rt: under
    SCHED_FIFO (chrt), so that on a machine whose CPUs the gateway's lcores poll, fmip-mn runs
    as soon as an answer arrives instead of after a time slice (it sleeps whenever idle)."""
    cmd = (["chrt", "-f", "1"] if rt else []) + [mn, "--no-huge", "--no-pci", "-m", "512", "--file-prefix", prefix, "-l", lcores,
           "--log-level", "lib.eal:error", "--vdev",
           "net_af_packet0,iface=%s,qpairs=%d" % (ifname, n_lcores(lcores)), "--"] + args
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)


def n_lcores(spec):
    """How many lcores an EAL -l list names ("0", "0-2", "0,2")."""
    n = 0
    for part in spec.split(","):
        a, _, b = part.partition("-")
        n += int(b or a) - int(a) + 1
    return n


def expected(rep):
    """The gateway counter deltas that fmip-mn's report implies (nothing else on the link, the
    RtSolPr policer off).  A copy of a node's RtSolPr that arrives once the gateway's ring of
    recent solicitations (256) has forgotten the original passes the RFC 3971 timestamp rule
    (equal timestamps are accepted) and is served with the existing key: the node then gets a
    PrRtAdv whose nonce it no longer waits for (refused, reason NONCE)."""
    tx, rx = rep["tx"], rep["rx"]
    served_copies = rep["prrtadv_refused_by_reason"].get("NONCE", 0)
    valid = tx["fbu_par"] + tx["fbu_nar"] + tx["fbu_return"]
    sols = (tx["rtsolpr"] + tx["rtsolpr_retry"] + tx["rtsolpr_refresh"] + tx["rtsolpr_badsig"] +
            tx["rtsolpr_replayed"] + tx["rtsolpr_flood"])
    refused = tx["rtsolpr_badsig"] + tx["rtsolpr_replayed"] + tx["rtsolpr_flood"]
    e = {
        "rx_packets": tx["frames"],
        "fbu_rx": valid + tx["fbu_forged"] + tx["fbu_replayed"] + tx["fbu_unknown"],
        "fbu_accepted": valid,
        "fbu_check_ok": valid,
        "drop_fbu_bad_mac": tx["fbu_forged"],
        "drop_fbu_stale_seq": tx["fbu_replayed"],
        "drop_fbu_no_key": tx["fbu_unknown"],
        "drop_fbu_expired": 0,
        "ctrl_rtsolpr": sols,  # with [policer] rtsolpr_rate = 0
        "rtsolpr_rx": sols,
        "keys_provisioned": rx["prrtadv_key_new"],
        "keys_existing": rx["prrtadv_key_existing"] + served_copies,
        "rtsolpr_send_failed": refused - served_copies,
        # every PrRtAdv the gateway sent reached a node (or the flood's CGA)
        "prrtadv_tx": (rx["prrtadv_key_new"] + rx["prrtadv_key_existing"] + rx["prrtadv_nokey"] +
                       rx["prrtadv_failure"] + rx["prrtadv_attacker"] + rx["prrtadv_no_path"] +
                       rx["prrtadv_refused"]),
        # A19: each refused solicitation was answered or its answer suppressed
        "rtsolpr_reply_suppressed": (refused - served_copies - rx["prrtadv_failure"] -
                                     rx["prrtadv_attacker"]),
        "drop_ring_full": 0,
        "drop_fbu_ring_full": 0,
        "drop_policer_rtsolpr": 0,
        "cps_rx": tx["cps"],
        "cpa_tx": rx["cpa"],
        "drop_malformed": tx["malformed"],
    }
    if rx["prrtadv_no_path"]:  # keys the nodes never read: new or existing, unknown here
        del e["keys_provisioned"], e["keys_existing"]
    for err, n in tx["malformed_by_error"].items():
        e["malformed_" + err] = n
    if TUNNEL_PENDING:  # data and reverse-tunnelled data are not the gateway's yet
        e["pass_tx"] = rx["data_plain"] + rx["reverse_returned"]
        e["pass_tx+drop_pass"] = tx["data"] + tx["reverse"]
    return e


def delta(before, after, key):
    """after - before of a counter, or of a sum of counters ("a+b")."""
    return sum(after.get(k, 0) - before.get(k, 0) for k in key.split("+"))


def compare(before, after, exp):
    """[(counter, expected delta, got)] for every counter that differs."""
    return [(k, v, delta(before, after, k)) for k, v in sorted(exp.items())
            if delta(before, after, k) != v]


def settle(tel, timeout=3.0):
    """Telemetry once rx_packets stopped moving (every frame sent was processed)."""
    end, last = time.time() + timeout, None
    while time.time() < end:
        s = tel.stats()
        if last is not None and s["rx_packets"] == last["rx_packets"] and \
                s["rtsolpr_rx"] == s["ctrl_rtsolpr"]:
            return s
        last = s
        time.sleep(0.2)
    return tel.stats()


def load(path):
    return json.load(open(path))
