#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""fmip-mn against the real fmipgw over net_memif (suite 'fmip-mn'): the gateway is the memif
server (one worker: one RX queue; its control lcore's packets go out through worker 0's TX
queue, app/common/port.c, because a memif peer maps only as many TX queues as it has RX
queues), fmip-mn the client with one queue pair.  No network namespace, no TAP.

A run of 4 nodes: provisioning with CPS/CPA (the control lcore's PrRtAdv and CPA reach the
client), handovers from both links with their FBacks verified, data tunnelled to the NCoAs
and reverse-tunnelled data decapsulated, forged / replayed / unknown-PCoA FBUs; the report's
numbers turned into the gateway counter deltas (mnlive.expected) and compared exactly; no
control packet lost (ctrl_tx_failed, ctrl_ret_tx_failed 0; ctrl_ret_tx = what the control
lcore sent).
usage: test_memif.py FMIPGW FMIP_MN FMIPCTL MAKE_CREDENTIALS_SH
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import mnlive as L  # noqa: E402
from test_gw_e2e import CONFIG, Gw  # noqa: E402

check = L.Checks()


def run(gw_bin, mn, tmp, cred):
    sock = os.path.join(tmp, "memif.sock")
    conf = os.path.join(tmp, "gw.conf")
    with open(conf, "w") as f:
        f.write(L.gw_conf(CONFIG, cred))
    gw = Gw(gw_bin, conf, "fmipgw_memif_%d" % os.getpid(), None,
            vdev="net_memif0,role=server,socket=%s" % sock)
    try:
        before = L.settle(gw.tel)
        js = os.path.join(tmp, "mn.json")
        r = L.run_mn(mn, None, "fmip_mn_memif_%d" % os.getpid(), [
            "-n", "4", "-j", js, "-q", "--set", "run.progress=0",
            "--set", "gateway.trust_anchor=" + os.path.join(cred, "trust-anchor.pem"),
            "--set", "handover.count=2", "--set", "handover.fback_timeout_ms=2000",
            "--set", "data.per_handover=1", "--set", "data.reverse_per_handover=1",
            "--set", "attack.forged_fbu=1", "--set", "attack.replayed_fbu=1",
            "--set", "attack.unknown_fbu=1"],
            vdev="net_memif0,role=client,socket=%s" % sock)
        after = L.settle(gw.tel)
        check(r.returncode == 0 and os.path.exists(js),
              "fmip-mn on the memif client: exit 0 and a report (exit %d)" % r.returncode)
        if r.returncode != 0 or not os.path.exists(js):
            print(r.stdout[-2000:], r.stderr[-2000:])
            return
        rep = L.load(js)
        out = rep["outcomes"]
        check(out["prov_ok"] == 4 and out["path_ok"] == 1 and rep["rx"]["cpa"] >= 1,
              "4 nodes provisioned through the control lcore's PrRtAdv and CPA")
        L.handovers_checked(check, "memif", rep, 8, 4)
        bad = L.compare(before, after, L.expected(rep))
        check(not bad, "the gateway counted what fmip-mn's report implies%s" % (
            "" if not bad else " (counter, expected, got): %s" % bad))
        ctrl = sum(L.delta(before, after, k) for k in ("prrtadv_tx", "cpa_tx", "fback_sent_0"))
        check(L.delta(before, after, "ctrl_tx_failed") == 0 and
              L.delta(before, after, "ctrl_ret_tx_failed") == 0 and
              L.delta(before, after, "ctrl_ret_tx") == ctrl,
              "every control packet (%d) left through worker 0's queue, none lost" % ctrl)
    finally:
        rc = gw.stop()
        check(rc == 0, "the gateway stopped with exit status 0 (got %s)" % rc)
        text = gw.out.decode(errors="replace")
        if check.fails:
            print("gateway output:\n" + text[-3000:])


def main():
    gw_bin, mn, fmipctl, mkcred = sys.argv[1:5]
    try:
        with L.cred_dir(mkcred, fmipctl, "memif") as (tmp, cred):
            run(gw_bin, mn, tmp, cred)
    finally:
        shutil.rmtree("/var/run/dpdk/fmipgw_memif_%d" % os.getpid(), ignore_errors=True)
    return check.done()


if __name__ == "__main__":
    sys.exit(main())
