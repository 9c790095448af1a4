#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run an fmip-mn scenario against a throw-away fmipgw on this machine and check both sides'
numbers: credentials from conf/make-credentials.sh, the gateway on net_tap moved into a
network namespace, fmip-mn inside it on af_packet over that TAP, then every gateway counter
delta compared with what fmip-mn's report implies (tests/fmip-mn/mnlive.py).  Needs root.

usage: fmip-mn-gw-run.py [--build DIR] [--gw S.K=V]... [--mn-lcores L]
                         [--json FILE] [--plot FILE.svg] [--gw-json FILE] -- FMIP-MN OPTIONS
  --gw S.K=V   a gateway configuration key (repeatable), e.g. --gw send.cache_size=16384
Prints fmip-mn's report, the comparison, and exits 0 when every counter matches.
"""
import json
import os
import subprocess
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "e2e"))
sys.path.insert(0, os.path.join(TOP, "tests", "fmip-mn"))
import mnlive as L  # noqa: E402
from test_gw_e2e import CONFIG  # noqa: E402


def ini_set(text, section, key, value):
    """text with [section] key = value (replaced, or added to the section, or a new one)."""
    out, cur, done = [], None, False
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        s = ln.strip()
        if s.startswith("["):
            if cur == section and not done:
                out.append("%s = %s" % (key, value))
                done = True
            cur = s[1:s.index("]")]
        elif cur == section and "=" in s and s.split("=")[0].strip() == key:
            out.append("%s = %s" % (key, value))
            done = True
            continue
        out.append(ln)
    if not done:
        if cur != section:
            out.append("[%s]" % section)
        out.append("%s = %s" % (key, value))
    return "\n".join(out) + "\n"


def args_of(argv):
    o = {"build": os.path.join(TOP, "build"), "gw": [], "mn_lcores": "0",
         "json": None, "plot": None, "gw_json": None}
    if "--" not in argv:
        sys.exit(__doc__)
    i, end = 0, argv.index("--")
    while i < end:
        k = argv[i].lstrip("-").replace("-", "_")
        if k not in o:
            sys.exit("unknown option %s\n%s" % (argv[i], __doc__))
        if k == "gw":
            o["gw"].append(argv[i + 1])
        else:
            o[k] = argv[i + 1]
        i += 2
    return o, argv[end + 1:]


def compare(o, gw, rep, before, after):
    """Print the comparison; True when every counter matches."""
    exp = L.expected(rep)
    print("\nthe gateway's counters against fmip-mn's report (%d compared):" % len(exp))
    for k, want in sorted(exp.items()):
        got = L.delta(before, after, k)
        print("  %-30s fmip-mn implies %10d  gateway %10d  %s" % (
            k, want, got, "ok" if got == want else "MISMATCH"))
    print("  gateway provisioning latency RX->TX (us): p50 %d p99 %d max %d" % (
        after["prov_latency_p50_us"], after["prov_latency_p99_us"], after["prov_latency_max_us"]))
    if o["gw_json"]:
        json.dump({"before": before, "after": after}, open(o["gw_json"], "w"), indent=1)
    return not L.compare(before, after, exp)


def main():
    o, mn_args = args_of(sys.argv[1:])
    b = o["build"]
    gw_bin, mn, ctl = (os.path.join(b, "app", "fmipgw", "fmipgw"),
                       os.path.join(b, "app", "fmip-mn", "fmip-mn"),
                       os.path.join(b, "app", "fmipctl", "fmipctl"))

    def conf(cred):
        text = L.gw_conf(CONFIG, cred)
        for kv in o["gw"]:
            sk, v = kv.split("=", 1)
            text = ini_set(text, sk.split(".")[0], sk.split(".", 1)[1], v)
        return text

    with L.gateway_in_netns(gw_bin, ctl, os.path.join(TOP, "conf", "make-credentials.sh"),
                            "run", conf) as ctx:
        gw, ok = ctx["gw"], False
        js = o["json"] or os.path.join(ctx["tmp"], "fmip-mn.json")
        before = L.settle(gw.tel)
        r = L.run_mn(mn, ctx["ifname"], "fmip_mn_run_%d" % os.getpid(), [
            "-j", js, "--set", "gateway.trust_anchor=" + ctx["anchor"]] + mn_args,
            o["mn_lcores"], timeout=7200)
        after = L.settle(gw.tel, timeout=10)
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr[-4000:])
        if r.returncode == 0 and os.path.exists(js):
            ok = compare(o, gw, L.load(js), before, after)
            if o["plot"]:
                subprocess.run([sys.executable, os.path.join(TOP, "app", "fmip-mn",
                                                             "fmip-mn-plot.py"), js, o["plot"]])
        ok = gw.stop() == 0 and ok
    print("fmip-mn-gw-run: %s" % ("both sides agree" if ok else "MISMATCH or failure"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
