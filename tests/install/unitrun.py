# SPDX-License-Identifier: BSD-3-Clause
"""Run a systemd service's commands by hand, as systemd would (systemd cannot be PID 1 here).

Reads the unit file itself, so what runs is what the unit says: EnvironmentFile=, the
ExecStartPre=/ExecStart=/ExecReload= lines with systemd's expansion (%i, %%, $VAR split at
whitespace, ${VAR} as one word, $MAINPID), the "+" / "-" prefixes, RuntimeDirectory= (made
before the start, removed after the stop), and the parts of the sandbox a process can apply
to itself: CapabilityBoundingSet= and AmbientCapabilities= (setpriv), NoNewPrivileges=
(setpriv --no-new-privs), LimitMEMLOCK= (setrlimit, where permitted) and UMask=.  The mount
namespaces (ProtectSystem=, PrivateTmp=, ...) are not reproduced: `systemd-analyze verify`
checks them.
"""
import json
import os
import re
import resource
import select
import shlex
import shutil
import signal
import subprocess
import time


def parse_unit(path, rewrite=None):
    """{section: {key: [values...]}}; an empty assignment resets a list, as in systemd.
    rewrite: {old_prefix: new_prefix} applied to every value (a DESTDIR tree)."""
    unit, sec = {}, None
    for raw in open(path).read().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        m = re.match(r"^\[(\w+)\]$", line)
        if m:
            sec = unit.setdefault(m.group(1), {})
            continue
        k, _, v = line.partition("=")
        for old, new in (rewrite or {}).items():
            v = v.replace(old, new)
        vals = sec.setdefault(k.strip(), [])
        if v.strip() == "" and k.strip() not in ("CapabilityBoundingSet", "AmbientCapabilities"):
            vals.clear()
        else:
            vals.append(v.strip())
    return unit


def env_file(path, instance):
    """KEY=VALUE lines of an EnvironmentFile= (quotes removed; "-" prefix: may be absent)."""
    optional = path.startswith("-")
    path = spec(path.lstrip("-"), instance)
    env = {}
    if optional and not os.path.exists(path):
        return env
    for line in open(path).read().splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        k, _, v = line.partition("=")
        w = shlex.split(v)
        env[k.strip()] = w[0] if w else ""
    return env


def spec(s, instance):
    return s.replace("%%", "\0").replace("%i", instance or "").replace("\0", "%")


def expand(cmd, env, instance):
    """One Exec*= line -> (prefixes, argv)."""
    m = re.match(r"^([-+!@:]*)(.*)$", cmd)
    argv = []
    for w in shlex.split(spec(m.group(2), instance)):
        v = re.match(r"^\$(\w+)$", w)
        if v:
            argv += env.get(v.group(1), "").split()
            continue
        argv.append(re.sub(r"\$\{(\w+)\}", lambda x: env.get(x.group(1), ""), w))
    return m.group(1), argv


def sandbox(service, argv):
    """Prefix argv with setpriv applying the unit's CapabilityBoundingSet=,
    AmbientCapabilities= and NoNewPrivileges= (a unit without them keeps root's capabilities,
    as under systemd)."""
    def caps(key):
        return ",".join(["-all"] + ["+" + c.lower()[4:]
                                    for c in " ".join(service[key]).split()])
    pre = []
    if "CapabilityBoundingSet" in service:
        pre += ["--bounding-set", caps("CapabilityBoundingSet"), "--inh-caps", "-all"]
    if "AmbientCapabilities" in service:
        pre += ["--ambient-caps", caps("AmbientCapabilities")]
    if service.get("NoNewPrivileges", ["no"])[-1] == "yes":
        pre.append("--no-new-privs")
    return (["setpriv"] + pre + ["--"] if pre else []) + argv


def umask_of(service):
    """preexec_fn: UMask= and LimitMEMLOCK= (raised only where this process may: a sandbox
    without CAP_SYS_RESOURCE keeps its hard limit; vdevs pin nothing)."""
    um = int(service.get("UMask", ["0022"])[-1], 8)
    lim = service.get("LimitMEMLOCK", [])

    def pre():
        os.umask(um)
        if lim:
            want = resource.RLIM_INFINITY if lim[-1] == "infinity" else int(lim[-1])
            try:
                resource.setrlimit(resource.RLIMIT_MEMLOCK, (want, want))
            except (ValueError, OSError):
                pass
    return pre


def run_cmd(service, cmd, env, instance, log):
    pfx, argv = expand(cmd, env, instance)
    full = argv if "+" in pfx else sandbox(service, argv)
    r = subprocess.run(full, capture_output=True, text=True, preexec_fn=umask_of(service))
    log.append("$ %s\n%s%s(exit %d)" % (" ".join(full), r.stdout, r.stderr, r.returncode))
    return r.returncode == 0 or "-" in pfx


def wait_for(p, needle, seconds):
    out, end = b"", time.time() + seconds
    while needle not in out and time.time() < end and p.poll() is None:
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            out += os.read(p.stdout.fileno(), 65536)
    return out


def stats(fmipctl, prefix):
    r = subprocess.run([fmipctl, "stats", "--prefix", prefix, "--json", "--all"],
                       capture_output=True, text=True)
    try:
        return json.loads(r.stdout) if r.returncode == 0 else {}
    except ValueError:
        return {}


def run_service(unit_path, fmipctl, instance=None, rewrite=None):
    """Start the service's commands, read its counters, reload, stop with SIGTERM.
    Returns a dict: pre_ok, running, prefix, stats, reload_ok, stats_reloaded, rc, log."""
    svc = parse_unit(unit_path, rewrite)["Service"]
    env = {}
    for f in svc.get("EnvironmentFile", []):
        env.update(env_file(f, instance))
    res = {"log": [], "running": False, "rc": None, "stats": {}, "stats_reloaded": {}}
    rtdirs = ["/run/" + spec(d, instance) for d in " ".join(svc.get("RuntimeDirectory", []))
              .split()]
    for d in rtdirs:
        if os.path.exists(d):
            res["log"].append("%s exists: another gateway uses this prefix" % d)
            return res
        os.makedirs(d, mode=int(svc.get("RuntimeDirectoryMode", ["0755"])[-1], 8))
    try:
        res["pre_ok"] = all(run_cmd(svc, c, env, instance, res["log"])
                            for c in svc.get("ExecStartPre", []))
        if res["pre_ok"]:
            _start(svc, env, instance, fmipctl, res)
    finally:
        for d in rtdirs:
            shutil.rmtree(d, ignore_errors=True)
    return res


def _start(svc, env, instance, fmipctl, res):
    _, argv = expand(svc["ExecStart"][-1], env, instance)
    res["prefix"] = argv[argv.index("--file-prefix") + 1] if "--file-prefix" in argv else "rte"
    full = sandbox(svc, argv)
    p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         preexec_fn=umask_of(svc))
    out = wait_for(p, b"fmipgw: running", 60)
    try:
        if b"fmipgw: running" in out:
            res["running"] = True
            time.sleep(1.0)
            res["stats"] = stats(fmipctl, res["prefix"])
            renv = dict(env, MAINPID=str(p.pid))
            res["reload_ok"] = all(run_cmd(svc, c, renv, instance, res["log"])
                                   for c in svc.get("ExecReload", []))
            time.sleep(1.5)
            res["stats_reloaded"] = stats(fmipctl, res["prefix"])
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            out += p.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            p.kill()
            out += p.communicate()[0]
    res["rc"] = p.returncode
    res["log"].append("$ %s\n%s(exit %s)" % (" ".join(full), out.decode(errors="replace"),
                                             p.returncode))
