#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""fmip-mn's offline pcaps replayed through the real gateway's net_pcap port (suite
'fmip-mn'): the counts the gateway reports (--stats-json) against fmip-mn's report.

mix      FBUs of 10 nodes (both links, AT 0 and 1, returns), forged, replayed, unknown-PCoA
         FBUs, the 12 malformed kinds, data and reverse-tunnelled data.  The FBUs were made with
         keys of the in-process router: without the gateway's key-import aid every FBU is
         dropped for want of a key; with it ([bench] key_import = the pcap's key-export file;
         `fmipgw --check` accepts it), the 10 keys are installed at start, valid FBUs are
         accepted and pass lib/hk's checks, forged ones are bad MACs, copies are stale and
         unknown PCoAs have no key.  No [ap.*] section: each accepted FBU is answered with
         FBack 128 (no NAR for the NCoA) and makes no binding, so data to the PCoAs is
         passed-through traffic (dropped) and reverse-tunnelled data matches no binding.
         Malformed counts are exact either way.
rtsolpr  a RtSolPr set (offline.provisioning = both): replayed within TIMESTAMP_DELTA the
         gateway serves each valid one with the imported key (existing) or, without the
         import, a new key each; refuses the broken signatures, the copies and the flood, and
         answers as A19 says.
usage: test_replay.py FMIPGW FMIP_MN FMIPCTL MAKE_CREDENTIALS_SH
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import mnlive as L  # noqa: E402
import pcap_check as C  # noqa: E402
from test_gw_e2e import CONFIG  # noqa: E402

check = L.Checks()
EAL = ["--no-huge", "--no-pci", "-m", "512", "-l", "0-1", "--log-level", "lib.eal:error"]


def gw_conf(tmp, cred, keys=None):
    text = CONFIG.format(d=cred, hk_lifetime=43200, rate=0, burst=64)
    if keys:
        text += "[bench]\nkey_import = %s\n" % keys
    path = os.path.join(tmp, "gw%s.conf" % ("-import" if keys else ""))
    with open(path, "w") as f:
        f.write(text)
    return path


def import_supported(gw, conf):
    r = subprocess.run([gw] + EAL + ["--file-prefix", "fmip_mn_rp_chk_%d" % os.getpid(), "--",
                                     "--config", conf, "--check"], capture_output=True, text=True)
    return r.returncode == 0


def replay(gw, conf, pcap, tmp, name):
    js, out = os.path.join(tmp, name + ".stats.json"), os.path.join(tmp, name + ".out.pcap")
    r = subprocess.run([gw] + EAL + ["--file-prefix", "fmip_mn_rp_%d" % os.getpid(), "--vdev",
                                     "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (pcap, out), "--",
                                     "--config", conf, "--duration", "3", "--stats-json", js],
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, "%s: the gateway replayed the pcap (exit %d)" % (name, r.returncode))
    if r.returncode != 0:
        print(r.stdout[-2000:], r.stderr[-2000:])
        return {}, []
    return json.load(open(js)), [f for _, f in C.read_pcap(out)]


def mix(args, tmp, cred):
    gw, mn = args[0], args[1]
    pcap, js = os.path.join(tmp, "mix.pcap"), os.path.join(tmp, "mix.json")
    C.run_mn(mn, ["-l", "0-1", "--", "-o", pcap, "-j", js, "-q", "-n", "10",
                  "--set", "handover.count=2", "--set", "provision.at1_percent=30",
                  "--set", "attack.forged_fbu=1", "--set", "attack.replayed_fbu=1",
                  "--set", "attack.unknown_fbu=1", "--set", "attack.malformed=12",
                  "--set", "data.per_handover=1", "--set", "data.reverse_per_handover=1"])
    tx = C.report(js)["tx"]
    imp = gw_conf(tmp, cred, pcap + ".keys")
    check(import_supported(gw, imp), "mix: fmipgw --check accepts [bench] key_import")
    for keyed in (False, True):
        s, _ = replay(gw, imp if keyed else gw_conf(tmp, cred), pcap, tmp,
                      "mix-import" if keyed else "mix")
        if s:
            mix_counts(s, tx, keyed)


def mix_counts(s, tx, keyed):
    """The gateway's counts of one replay of the mix, with or without the imported keys."""
    name = "mix (keys imported)" if keyed else "mix (no keys)"
    valid = tx["fbu_par"] + tx["fbu_nar"] + tx["fbu_return"]
    fbus = valid + tx["fbu_forged"] + tx["fbu_replayed"] + tx["fbu_unknown"]
    check(s["rx_packets"] == tx["frames"], "%s: the gateway read the %d frames" % (
        name, tx["frames"]))
    check(s["fbu_rx"] == fbus, "%s: %d FBUs to the PAR" % (name, fbus))
    if keyed:
        want = {"keys_imported": 10, "fbu_accepted": valid, "fbu_check_ok": valid,
                "drop_fbu_bad_mac": tx["fbu_forged"], "drop_fbu_stale_seq": tx["fbu_replayed"],
                "drop_fbu_no_key": tx["fbu_unknown"], "drop_fbu_expired": 0}
    else:
        want = {"keys_imported": 0, "fbu_accepted": 0, "drop_fbu_no_key": fbus}
    got = {k: s.get(k) for k in want}
    check(got == want, "%s: FBU verdicts %s (got %s)" % (name, want, got))
    mal = {"malformed_" + k: v for k, v in tx["malformed_by_error"].items()}
    got = {k: s[k] for k in mal}
    check(got == mal and s["drop_malformed"] == tx["malformed"] == 120,
          "%s: 120 malformed frames, each counted by its lib/wire error" % name)
    check(s["drop_pass"] == tx["data"] == 20 and s["drop_tun_unmatched"] == tx["reverse"] == 20,
          "%s: 20 data frames dropped (pass_through = drop), 20 reverse-tunnelled ones match "
          "no binding (drop_pass %d, drop_tun_unmatched %d)" % (
              name, s["drop_pass"], s["drop_tun_unmatched"]))


def rtsolpr(args, tmp, cred):
    gw, mn = args[0], args[1]
    pcap, js = os.path.join(tmp, "rts.pcap"), os.path.join(tmp, "rts.json")
    C.run_mn(mn, ["-l", "0-1", "--", "-o", pcap, "-j", js, "-q", "-n", "10",
                  "--set", "offline.provisioning=both", "--set", "handover.count=0",
                  "--set", "attack.badsig_rtsolpr=1", "--set", "attack.replayed_rtsolpr=1",
                  "--set", "attack.flood_rtsolpr=5"])
    tx = C.report(js)["tx"]
    s, out = replay(gw, gw_conf(tmp, cred, pcap + ".keys"), pcap, tmp, "rtsolpr")
    if not s:
        return
    refused = tx["rtsolpr_badsig"] + tx["rtsolpr_replayed"] + tx["rtsolpr_flood"]
    check(tx["rtsolpr"] == 10 and refused == 25 and s["rtsolpr_rx"] == 35,
          "rtsolpr: the gateway served the 35 RtSolPr of the set")
    check(s["keys_imported"] == 10 and s["keys_existing"] == 10 and s["keys_provisioned"] == 0,
          "rtsolpr: 10 valid RtSolPr each got the imported key (keys_existing %d, "
          "keys_provisioned %d)" % (s["keys_existing"], s["keys_provisioned"]))
    check(s["rtsolpr_send_failed"] == refused,
          "rtsolpr: 25 refused (broken signatures, copies, flood)")
    prr = [f for f in out if len(f) > 60 and f[14 + 6] == 58 and f[14 + 40] == 154]
    check(len(prr) == s["prrtadv_tx"] and s["prrtadv_tx"] + s["rtsolpr_reply_suppressed"] == 35,
          "rtsolpr: %d PrRtAdv in the gateway's tx_pcap, %d A19 answers suppressed" % (
              len(prr), s["rtsolpr_reply_suppressed"]))


def main():
    gw, mn, fmipctl, mkcred = sys.argv[1:5]
    try:
        with L.cred_dir(mkcred, fmipctl, "replay") as (tmp, cred):
            mix(sys.argv[1:], tmp, cred)
            rtsolpr(sys.argv[1:], tmp, cred)
    finally:
        for p in ("fmip_mn_rp_%d" % os.getpid(), "fmip_mn_rp_chk_%d" % os.getpid(),
                  "fmip_mn_t%d" % os.getpid()):
            shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)
    return check.done()


if __name__ == "__main__":
    sys.exit(main())
