# SPDX-License-Identifier: BSD-3-Clause
"""fmip-mn against a running fmipgw, for the tests, the demo (tests/e2e/gw_demo.py) and
perf/bench-gw: the gateway's TAP moved into a network namespace, fmip-mn run inside it on an
af_packet port over that TAP, and what fmip-mn's report says it sent and received turned into
the gateway counter deltas that must follow (written here from the gateway's documented
counters, docs/operations.md section 9, not from fmip-mn's code).

The gateway's handover (docs/operations.md 6.1) is configured by HANDOVER_CONF: fmip-mn's
NAR prefix (its gateway.nar_prefix default) is a kind = nar [ap.*] section on the one port,
[handover] hi = false (no NAR answers HIs here), so that every FBU binds at once, its FBack
goes through the tunnel to the NCoA (and, from the PAR's link, also to the PCoA on the old
link: fmip-mn counts that one as a copy), data to a PCoA is tunnelled to its NCoA and
reverse-tunnelled data is decapsulated and passed back (pass_through = same)."""
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

# appended to test_gw_e2e.CONFIG (with pass_through = same); fmip-mn's defaults:
# gateway.new_ap 02:00:00:00:0a:01, gateway.nar_prefix 2003:0:0:2::/64
HANDOVER_CONF = """[handover]
hi = false
[ap.nar]
lla = 02:00:00:00:0a:01
kind = nar
nar_lla = 02:00:00:00:0b:01
nar_addr = 2003:0:0:2::1
nar_prefix = 2003:0:0:2::/64
port = 0
"""


def gw_conf(config, cred, hk_lifetime=43200, rate=0, burst=64):
    """test_gw_e2e.CONFIG filled in, data passed back out of its port, and the handover."""
    return config.format(d=cred, hk_lifetime=hk_lifetime, rate=rate, burst=burst).replace(
        "pass_through = drop", "pass_through = same") + HANDOVER_CONF


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


def credentials(mkcred, fmipctl, cred):
    """Throw-away router credentials for 2003::/64 in cred (conf/make-credentials.sh)."""
    subprocess.run(["sh", mkcred, "--out", cred, "--prefix", "2003::/64", "--fmipctl",
                    fmipctl], check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def cred_dir(mkcred, fmipctl, name):
    """A temporary directory with throw-away credentials in its cred/: yields (tmp, cred);
    removed afterwards."""
    tmp = tempfile.mkdtemp(prefix="fmip-mn-%s-" % name)
    try:
        credentials(mkcred, fmipctl, os.path.join(tmp, "cred"))
        yield tmp, os.path.join(tmp, "cred")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
        credentials(mkcred, fmipctl, cred)
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


def run_mn(mn, ifname, prefix, args, lcores="0", timeout=600, rt=False, vdev=None):
    """fmip-mn on an af_packet port over ifname (the caller is in the namespace), or on vdev.
    rt: under SCHED_FIFO (chrt), so that on a machine whose CPUs the gateway's lcores poll,
    fmip-mn runs as soon as an answer arrives instead of after a time slice (it sleeps
    whenever idle)."""
    vdev = vdev or "net_af_packet0,iface=%s,qpairs=%d" % (ifname, n_lcores(lcores))
    cmd = (["chrt", "-f", "1"] if rt else []) + [
        mn, "--no-huge", "--no-pci", "-m", "512", "--file-prefix", prefix, "-l", lcores,
        "--log-level", "lib.eal:error", "--vdev", vdev, "--"] + args
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
    e.update(expected_handover(tx, rx))
    return e


def expected_handover(tx, rx):
    """The handover's share (HANDOVER_CONF, docs/operations.md 6.1): every FBack the gateway
    sent reached fmip-mn (verified, a copy, or refused); each valid FBU from either link
    installed or replaced a binding, each return tore one down and released its key (A13);
    data tunnelled, reverse-tunnelled data decapsulated and passed back with what was not
    tunnelled.  The binding_* counters are /fmipgw/bindings' (settle)."""
    return {
        "fback_sent_0+fback_sent_1+fback_sent_128+fback_sent_129+fback_sent_130":
            rx["fback_ok"] + rx["fback_copy"] + rx["fback_bad"],
        "fback_failed": 0,
        "binding_added+binding_replaced": tx["fbu_par"] + tx["fbu_nar"],
        "binding_torn_down": tx["fbu_return"],
        "fbu_teardown": tx["fbu_return"],
        "keys_released": tx["fbu_return"],
        "tun_encap": rx["data_tunnel_ok"] + rx["data_tunnel_bad"],
        "tun_decap": rx["reverse_ok"] + rx["reverse_bad"],
        # everything the worker sent: tunnelled, decapsulated and passed-through packets
        "pass_tx": (rx["data_tunnel_ok"] + rx["data_tunnel_bad"] + rx["data_plain"] +
                    rx["reverse_ok"] + rx["reverse_bad"] + rx["reverse_returned"]),
        "drop_tun_unmatched": 0,
        "hi_sent": 0,
    }


def handovers_checked(check, what, rep, handovers, returns):
    """fmip-mn's side of the handovers: every FBU's FBack verified (in time), one through the
    tunnel per handover, the old link's copy per handover from the PAR's link; every data
    packet arrived through the tunnel at the NCoA and every reverse one at the correspondent."""
    tx, rx, out = rep["tx"], rep["rx"], rep["outcomes"]
    valid = tx["fbu_par"] + tx["fbu_nar"]
    check(valid == handovers and tx["fbu_return"] == returns,
          "%s: %d handovers, %d returns" % (what, handovers, returns))
    check(rx["fback_ok"] == valid + returns and rx["fback_bad"] == 0 and
          out["fback_timeout"] == 0 and rep["latency_us"]["fback"]["n"] == valid + returns,
          "%s: %d FBacks verified with the nodes' keys (BADF), none refused or late" % (
              what, valid + returns))
    check(rx["fback_tunnelled"] == valid and rx["fback_copy"] == tx["fbu_par"],
          "%s: %d FBacks through the tunnel to the NCoA, %d old-link copies" % (
              what, valid, tx["fbu_par"]))
    check(rx["data_tunnel_ok"] == tx["data"] and rx["data_tunnel_bad"] == rx["data_plain"] == 0,
          "%s: %d data packets to the PCoAs arrived tunnelled at the NCoAs, intact" % (
              what, tx["data"]))
    check(rx["reverse_ok"] == tx["reverse"] and rx["reverse_bad"] == rx["reverse_returned"] == 0,
          "%s: %d reverse-tunnelled packets decapsulated to the correspondent" % (
              what, tx["reverse"]))


def delta(before, after, key):
    """after - before of a counter, or of a sum of counters ("a+b")."""
    return sum(after.get(k, 0) - before.get(k, 0) for k in key.split("+"))


def compare(before, after, exp):
    """[(counter, expected delta, got)] for every counter that differs."""
    return [(k, v, delta(before, after, k)) for k, v in sorted(exp.items())
            if delta(before, after, k) != v]


def settle(tel, timeout=3.0):
    """Telemetry once rx_packets stopped moving (every frame sent was processed): /fmipgw/stats
    with /fmipgw/bindings' counters as binding_<name>."""
    end, last = time.time() + timeout, None
    while time.time() < end:
        s = tel.stats()
        if last is not None and s["rx_packets"] == last["rx_packets"] and \
                s["rtsolpr_rx"] == s["ctrl_rtsolpr"]:
            break
        last = s
        time.sleep(0.2)
    else:
        s = tel.stats()
    b = tel.cmd("/fmipgw/bindings")["/fmipgw/bindings"]
    s.update({"binding_" + k: v for k, v in b.items()})
    return s


def load(path):
    return json.load(open(path))
