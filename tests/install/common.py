# SPDX-License-Identifier: BSD-3-Clause
"""Checks shared by tests/install/test_install.py and test_deb.py."""
import os
import re
import subprocess

# A gateway without NIC or hugepages: what the tests put in FMIPGW_EAL_ARGS.
VDEV_EAL = "--no-huge -m 512 --no-pci -l 0-1 --vdev net_null0 --log-level lib.eal:error"

failures = []


def check(cond, what, detail=""):
    """Print ok/FAIL and the check; detail (logs) only when it fails."""
    print(("ok   " if cond else "FAIL ") + what + ("\n" + detail if detail and not cond
                                                   else ""), flush=True)
    if not cond:
        failures.append(what)


def help_config(gw):
    keys, sec = {}, None
    for line in subprocess.run([gw, "--", "--help-config"], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            sec = keys.setdefault(m.group(1), set())
        m = re.match(r"^  (\S+)\s", line)
        if m:
            sec.add(m.group(1))
    return keys


def verify_units(paths, man=True):
    """systemd-analyze verify: exit 0 and not a word on stderr/stdout (it warns with exit 0)."""
    r = subprocess.run(["systemd-analyze", "verify", "--man=" + ("yes" if man else "no")] +
                       paths, capture_output=True, text=True)
    check(r.returncode == 0 and (r.stdout + r.stderr).strip() == "",
          "systemd-analyze verify %s: exit 0, no message" %
          " ".join(os.path.basename(p) for p in paths), r.stdout + r.stderr)


def check_run(res, what):
    """The result of unitrun.run_service: started, counted traffic, reloaded, stopped."""
    log = "\n".join(res["log"])[-3000:]
    s, s2 = res["stats"], res["stats_reloaded"]
    check(res.get("pre_ok") and res["running"], "%s: ExecStartPre succeed, ExecStart runs"
          % what, log)
    check(s.get("rx_packets", 0) > 0, "%s: counts net_null frames (telemetry prefix %s: "
          "rx_packets %s)" % (what, res.get("prefix"), s.get("rx_packets")), log)
    check(res.get("reload_ok") and s.get("reloads") == 0 and s2.get("reloads") == 1 and
          s2.get("reload_errors") == 0, "%s: ExecReload (--check, SIGHUP) -> reloads 0 -> 1"
          % what, log)
    check(res["rc"] == 0, "%s: SIGTERM -> exit 0 (%s)" % (what, res["rc"]), log)
