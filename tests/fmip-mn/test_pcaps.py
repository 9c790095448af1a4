#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""fmip-mn's offline pcaps checked from outside fmip-mn (suite 'fmip-mn'):

mix        a capture with every kind of well-formed frame (RtSolPr also written: provisioning
           = both; valid FBUs from both links and back at the PAR, AT 0 and 1; forged,
           replayed and unknown-PCoA FBUs; RtSolPr with broken signatures, copies, a flood;
           data and reverse-tunnelled data).  tshark dissects every frame as the message it
           is with no expert item of severity warning or more (but the documented Wireshark
           4.0 quirk of tests/vectors/README.md); fmipctl decodes every frame without error;
           each RtSolPr's signature verifies (or fails, for the attacks) with fmippeer; each
           FBU's authenticator is recomputed in Python with the key of the key-export file
           (valid ones verify, forged ones do not, unknown PCoAs have no key); the counts
           are the report's; the key file has mode 0600 and the documented format.
malformed  a capture of the malformed kinds: fmipctl reports each frame's lib/wire error and
           the counts per error are the report's tx.malformed_by_error.
usage: test_pcaps.py FMIP_MN FMIPCTL WORK_DIR
"""
import collections
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fmipctl"))
import mnlive as L  # noqa: E402
import pcap_check as C  # noqa: E402
import test_tshark as T  # noqa: E402

check = L.Checks()


def tshark_frames(pcap, kinds):
    """tshark dissects each frame as what split() says it is, without expert problems."""
    frames = T.tshark(pcap)
    check(len(frames) == len(kinds), "tshark saw %d frames of %d" % (len(frames), len(kinds)))
    quirks = bad = 0
    for i, (fr, d) in enumerate(zip(frames, kinds)):
        layers = T.first(fr, "layers")
        protos = (T.first(layers, "frame.protocols") or "").split(":")
        if d["proto"] == 135:
            ok = "mipv6" in protos and T.get_all(layers, "mip6.mhtype")[:1] == [str(d["mh_type"])]
        elif d["proto"] == 58:
            ok = T.get_all(layers, "icmpv6.type")[:1] == [str(d["icmp_type"])] and (
                "subtype" not in d or
                T.get_all(layers, "icmpv6.fmip6.subtype")[:1] == [str(d["subtype"])])
        elif d["proto"] == 41:
            ok = protos.count("ipv6") == 2 and "udp" in protos
        else:
            ok = "udp" in protos
        probs = T.expert_problems(layers)
        worse = [p for p in probs if not T.allowed(p)]
        quirks += len(probs) - len(worse)
        if not ok or worse:
            bad += 1
            print("  frame %d: protocols %s, expert %r" % (i + 1, protos, worse))
    check(bad == 0, "tshark: %d frames dissected as what they are, no expert warnings (%d "
          "allowed quirk items)" % (len(frames) - bad, quirks))


def fmipctl_frames(fmipctl, pcap):
    r = subprocess.run([fmipctl, "decode", "--json", pcap], capture_output=True, text=True,
                       timeout=120)
    check(r.returncode == 0, "fmipctl decode exit 0")
    return [json.loads(ln) for ln in r.stdout.splitlines()]


def mix(mn, fmipctl, work):
    pcap, js = os.path.join(work, "mix.pcap"), os.path.join(work, "mix.json")
    C.run_mn(mn, ["-l", "0-1", "--", "-o", pcap, "-j", js, "-q", "-n", "6",
                  "--set", "offline.provisioning=both", "--set", "handover.count=3",
                  "--set", "provision.at1_percent=50", "--set", "handover.nar_percent=50",
                  "--set", "attack.forged_fbu=2", "--set", "attack.replayed_fbu=1",
                  "--set", "attack.unknown_fbu=1", "--set", "attack.badsig_rtsolpr=1",
                  "--set", "attack.replayed_rtsolpr=1", "--set", "attack.flood_rtsolpr=3",
                  "--set", "data.per_handover=1", "--set", "data.reverse_per_handover=1"])
    rep, keys = C.report(js), C.read_keys(pcap + ".keys")
    tx = rep["tx"]
    frames = [C.split(f) for _, f in C.read_pcap(pcap)]
    check(len(frames) == tx["frames"], "the pcap holds the %d frames the report counts"
          % tx["frames"])
    check(len(keys) == 6 and sorted(k[0] for k in keys.values()).count(1) >= 1,
          "key file: mode 0600, format 1, one key per node, AT 0 and AT 1 (%d keys)" % len(keys))
    got = collections.Counter()
    sols = []
    for d in frames:
        if d["proto"] == 135 and d["mh_type"] == 8:
            got["fbu_bad_csum"] += not C.mh_csum_ok(d)
            ok = C.fbu_mac_ok(d, keys)
            got["fbu_valid" if ok else "fbu_no_key" if ok is None else "fbu_bad_mac"] += 1
            if ok and d["lifetime"] == 0:
                got["fbu_lifetime0"] += 1
        elif d["proto"] == 58 and d.get("subtype") == 2:
            good = C.rtsolpr_sig_ok(d)
            got["rtsolpr_good" if good else "rtsolpr_badsig"] += 1
            if good and d["ip6"] in sols:
                got["rtsolpr_copy"] += 1
            sols.append(d["ip6"])
        elif d["proto"] == 41:
            got["tunnel"] += 1
        elif d["proto"] == 17:
            got["udp"] += 1
    check(got["fbu_bad_csum"] == 0, "every FBU's MH checksum (pseudo-source the HAO, A16)")
    valid = tx["fbu_par"] + tx["fbu_nar"] + tx["fbu_return"]
    check(got["fbu_valid"] == valid + tx["fbu_replayed"] and valid == 6 * 4,
          "FBU authenticators recomputed with the exported keys: %d verify = %d valid + %d "
          "replayed copies" % (got["fbu_valid"], valid, tx["fbu_replayed"]))
    check(got["fbu_lifetime0"] == tx["fbu_return"] == 6, "6 returns to the PAR (lifetime 0)")
    check(got["fbu_bad_mac"] == tx["fbu_forged"] == 12, "12 forged FBUs do not verify")
    check(got["fbu_no_key"] == tx["fbu_unknown"] == 6, "6 unknown-PCoA FBUs have no key")
    check(got["rtsolpr_good"] == tx["rtsolpr"] + tx["rtsolpr_replayed"] and tx["rtsolpr"] == 6,
          "RtSolPr signatures verify (fmippeer): %d = %d + %d copies" % (
              got["rtsolpr_good"], tx["rtsolpr"], tx["rtsolpr_replayed"]))
    check(got["rtsolpr_copy"] == tx["rtsolpr_replayed"] == 6, "6 byte copies of RtSolPr")
    check(got["rtsolpr_badsig"] == tx["rtsolpr_badsig"] + tx["rtsolpr_flood"] == 9,
          "9 RtSolPr signatures fail (broken, flood)")
    check(got["udp"] == tx["data"] == 18 and got["tunnel"] == tx["reverse"] == 18,
          "18 data and 18 reverse-tunnelled packets")
    tshark_frames(pcap, frames)
    objs = fmipctl_frames(fmipctl, pcap)
    check(len(objs) == len(frames) and not [o for o in objs if "error" in o],
          "fmipctl decodes all %d frames without error" % len(objs))


def malformed(mn, fmipctl, work):
    pcap, js = os.path.join(work, "mal.pcap"), os.path.join(work, "mal.json")
    C.run_mn(mn, ["-l", "0", "--", "-o", pcap, "-j", js, "-q", "-n", "2",
                  "--set", "handover.count=1", "--set", "handover.return=false",
                  "--set", "attack.malformed=12"])
    rep = C.report(js)
    objs = fmipctl_frames(fmipctl, pcap)
    by = collections.Counter(o["error"].replace(" ", "_") for o in objs if "error" in o)
    by["fragment"] = sum(1 for o in objs if o.get("msg") == "fragment")
    want = rep["tx"]["malformed_by_error"]
    check(len(want) == 12 and all(v == 2 for v in want.values()),
          "the report: 12 kinds, 2 each (%s)" % want)
    check(dict(by) == want, "fmipctl finds each frame's lib/wire error: %s" % dict(by))


def main():
    mn, fmipctl, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    mix(mn, fmipctl, work)
    malformed(mn, fmipctl, work)
    return check.done()


if __name__ == "__main__":
    sys.exit(main())
