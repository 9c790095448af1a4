#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""fmip-mn against the real fmipgw end to end (suite 'fmip-mn', root): the gateway on net_tap
moved into a network namespace, fmip-mn inside it on af_packet over that TAP.  Each run's
report is turned into the gateway counter deltas it implies (mnlive.expected) and compared
with /fmipgw/stats exactly.

 1. provisioning (CPS/CPA for the router's path, AT 0 and 1), handovers from both links with
    each FBack awaited and verified with the node's key (through the tunnel to the NCoA, and
    the old link's copy), the return to the PAR, every attack (forged, replayed, unknown-PCoA
    FBUs; RtSolPr with broken signatures, copies, a flood; 12 malformed kinds per node), data
    to the PCoAs arriving tunnelled at the NCoAs and reverse-tunnelled data decapsulated;
    bindings, tunnelled packets and FBacks as the gateway counted them; the returns released
    the keys (A13): FBUs made by fmippeer with the exported keys have no key any more; the
    keys' hex is nowhere in fmip-mn's output.
 2. re-provisioning: HK-LIFETIME 4 s (SIGHUP), a 9 s run with a path cache per node: refreshes
    answered with the existing key, new keys after expiry, each as the gateway counted.
 3. a trust anchor the router's path does not lead to: every provisioning fails, fmip-mn exits
    3 with --fail-on-error, and the gateway made keys it never saw used.
 4. handovers without the return: the bindings stay, and the keys fmip-mn exports make FBUs
    (built in Python by fmippeer) the gateway accepts.
usage: test_live.py FMIPGW FMIP_MN FMIPCTL MAKE_CREDENTIALS_SH VECTORS_DIR
"""
import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import mnlive as L  # noqa: E402
import pcap_check as C  # noqa: E402
import fmippeer as P  # noqa: E402
from test_gw_e2e import CONFIG, PAR, A  # noqa: E402

check = L.Checks()


def gw_config(cred, hk_lifetime):
    return L.gw_conf(CONFIG, cred, hk_lifetime)


def mn_run(ctx, name, args, lcores="0"):
    """One fmip-mn run; its report, and the gateway's counters before and after."""
    js = os.path.join(ctx["tmp"], name + ".json")
    before = L.settle(ctx["gw"].tel)
    r = L.run_mn(ctx["mn"], ctx["ifname"], "fmip_mn_live_%d" % os.getpid(),
                 ["--set", "gateway.trust_anchor=" + ctx["anchor"], "-j", js] + args, lcores)
    after = L.settle(ctx["gw"].tel)
    if not os.path.exists(js):
        print(r.stdout[-3000:], r.stderr[-3000:])
        return r, None, before, after
    return r, L.load(js), before, after


def counters_match(what, rep, before, after):
    bad = L.compare(before, after, L.expected(rep))
    check(not bad, "%s: the gateway counted what fmip-mn's report implies%s" % (
        what, "" if not bad else " (counter, expected, got): %s" % bad))


def run1(ctx):
    keys = os.path.join(ctx["tmp"], "live.keys")
    r, rep, b, a = mn_run(ctx, "run1", [
        "-n", "8", "-k", keys, "--set", "handover.count=3", "--set", "provision.at1_percent=50",
        "--set", "attack.forged_fbu=1", "--set", "attack.replayed_fbu=1",
        "--set", "attack.unknown_fbu=1", "--set", "attack.badsig_rtsolpr=1",
        "--set", "attack.replayed_rtsolpr=1", "--set", "attack.malformed=12",
        "--set", "attack.flood_rtsolpr=20", "--set", "attack.flood_rate=200",
        "--set", "data.per_handover=2", "--set", "data.reverse_per_handover=1",
        "--set", "handover.fback_timeout_ms=2000"])
    check(r.returncode == 0 and rep is not None, "run 1: fmip-mn exit 0 and a JSON report")
    if rep is None:
        return
    tx, out = rep["tx"], rep["outcomes"]
    check(out["prov_ok"] == 8 and out["prov_failed"] == 0 and out["path_ok"] == 1 and
          tx["cps"] == 1, "run 1: 8 nodes provisioned, one CPS/CPA path for the lcore")
    check(tx["fbu_par"] + tx["fbu_nar"] == 24 and tx["fbu_return"] == 8 and
          tx["fbu_nar"] > 0 and tx["fbu_par"] > 0, "run 1: 24 handovers (both links), 8 returns")
    check(tx["malformed"] == 96 and len(tx["malformed_by_error"]) == 12,
          "run 1: 96 malformed frames, 12 kinds")
    check(rep["latency_us"]["provisioning"]["n"] == 8, "run 1: 8 provisioning latency samples")
    L.handovers_checked(check, "run 1", rep, 24, 8)
    counters_match("run 1", rep, b, a)
    check(a["binding_count"] == 0 and a["binding_added"] - b["binding_added"] == 8,
          "run 1: 8 bindings made, all torn down by the returns")
    # the exported keys: the returns released them at the gateway (A13)
    exp = C.read_keys(keys)
    check(len(exp) == 8, "run 1: 8 keys exported (mode 0600, format 1)")
    check(fbus_with(ctx, exp, 3) == ("drop_fbu_no_key", 3),
          "run 1: FBUs made by fmippeer with 3 exported keys: no key at the gateway (A13)")
    text = (r.stdout + r.stderr).lower()
    check(not [k for k in exp.values() if k[1].hex() in text or k[1].hex()[:24] in text],
          "run 1: no handover key (hex) in fmip-mn's output")


def fbus_with(ctx, exp, n):
    """FBUs built by fmippeer with n exported keys; the FBU counter that moved, and by how
    much (one counter expected)."""
    before = ctx["gw"].stats()
    for i, (cga, (at, key, _, _)) in enumerate(sorted(exp.items())[:n]):
        f, _, _ = P.fbu(cga, A("2003::2:0:0:%x" % (i + 1)), PAR, key, at, 1000, True)
        ctx["link"].send(f)
    time.sleep(0.5)
    now = ctx["gw"].stats()
    moved = [(k, now[k] - before[k]) for k in ("fbu_accepted", "drop_fbu_no_key",
                                               "drop_fbu_bad_mac", "drop_fbu_stale_seq")
             if now[k] != before[k]]
    return moved[0] if len(moved) == 1 else tuple(moved)


def run2(ctx):
    with open(ctx["conf"], "w") as f:
        f.write(gw_config(ctx["cred"], 4))
    before = ctx["gw"].stats()
    ctx["gw"].p.send_signal(signal.SIGHUP)
    for _ in range(50):
        if ctx["gw"].stats()["reloads"] > before["reloads"]:
            break
        time.sleep(0.1)
    r, rep, b, a = mn_run(ctx, "run2", [
        "-n", "3", "-d", "9", "--set", "handover.count=0", "--set", "provision.refresh_margin=2",
        "--set", "provision.refresh_min_ms=1000", "--set", "provision.path_cache=node"])
    check(r.returncode == 0 and rep is not None, "run 2: fmip-mn exit 0 and a JSON report")
    if rep is None:
        return
    tx, rx, out = rep["tx"], rep["rx"], rep["outcomes"]
    check(tx["cps"] == 3 and out["path_ok"] == 3, "run 2: one CPS and one path per node")
    check(out["refresh_ok"] >= 6 and tx["rtsolpr_refresh"] >= 6,
          "run 2: re-provisioned before HK-LIFETIME ran out (%d refreshes)" % out["refresh_ok"])
    check(rx["prrtadv_key_existing"] >= 3 and rx["prrtadv_key_new"] >= 6,
          "run 2: refreshes got the existing key, and new keys after expiry (%d existing, "
          "%d new)" % (rx["prrtadv_key_existing"], rx["prrtadv_key_new"]))
    counters_match("run 2", rep, b, a)
    check(a["keys_expired"] - b["keys_expired"] >= 3, "run 2: the gateway expired the keys")


def run3(ctx, vectors):
    r, rep, b, a = mn_run(ctx, "run3", [
        "-n", "2", "--fail-on-error", "--set", "provision.timeout_ms=200",
        "--set", "gateway.trust_anchor=" + os.path.join(vectors, "keys", "ca.cert_ipext.pem")])
    check(r.returncode == 3 and rep is not None, "run 3: --fail-on-error exit 3 (got %d)"
          % r.returncode)
    if rep is None:
        return
    out = rep["outcomes"]
    check(out["prov_failed"] == 2 and out["path_failed"] == 1 and out["prov_ok"] == 0 and
          rep["rx"]["prrtadv_no_path"] == 2,
          "run 3: no valid path to the other anchor: both PrRtAdv dropped, provisioning failed")
    check(a["keys_provisioned"] - b["keys_provisioned"] == 2,
          "run 3: the gateway made the 2 keys the nodes could not take")
    counters_match("run 3", rep, b, a)


def run4(ctx):
    keys = os.path.join(ctx["tmp"], "live4.keys")
    r, rep, b, a = mn_run(ctx, "run4", [
        "-n", "3", "-k", keys, "--set", "handover.count=1", "--set", "handover.return=false",
        "--set", "handover.fback_timeout_ms=2000", "--set", "data.per_handover=1"])
    check(r.returncode == 0 and rep is not None, "run 4: fmip-mn exit 0 and a JSON report")
    if rep is None:
        return
    L.handovers_checked(check, "run 4", rep, 3, 0)
    counters_match("run 4", rep, b, a)
    check(a["binding_count"] - b["binding_count"] == 3, "run 4: 3 bindings stay")
    exp = C.read_keys(keys)
    check(len(exp) == 3 and fbus_with(ctx, exp, 3) == ("fbu_accepted", 3),
          "run 4: FBUs made by fmippeer with the 3 exported keys accepted by the gateway")


def main():
    gw_bin, mn, fmipctl, mkcred, vectors = sys.argv[1:6]
    with L.gateway_in_netns(gw_bin, fmipctl, mkcred, "live",
                            lambda cred: gw_config(cred, 43200)) as ctx:
        ctx["mn"] = mn
        run1(ctx)
        run2(ctx)
        run3(ctx, vectors)
        run4(ctx)
        rc = ctx["gw"].stop()
        check(rc == 0, "the gateway stopped with exit status 0 (got %s)" % rc)
        out = ctx["gw"].out
    return check.done(lambda: print("gateway output:\n" + out.decode(errors="replace")[-3000:]))


if __name__ == "__main__":
    sys.exit(main())
