#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Installation tests (suite 'install'); each subcommand is one meson test.

  files BUILD SRC        DESTDIR=tmp meson install: the exact file list and modes, the
                         sysconfdir-adjusted sample config, every docs/*.md, every installed
                         executable in bindir; a second install keeps edited config files
  man BUILD GW CTL       the generated pages render without a warning (man --warnings,
                         groff -wall); fmipgw.conf(5) has exactly the keys of --help-config
                         per section, fmipgw(8) every option of --help and every counter,
                         fmipctl(8) every command and each command's options
  units BUILD GW CTL SRC systemd-analyze verify on the installed units (paths into the
                         DESTDIR), their settings, and fmipgw@.service's commands run by hand
                         on a net_null vdev: --check, bind-nics, start, reload, SIGTERM exit 0
  deb SRC VERSION        test_deb.py: dpkg-buildpackage, install on this machine, run, purge
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import unitrun  # noqa: E402
from common import (VDEV_EAL, check, check_run, failures, help_config,  # noqa: E402
                    verify_units)


def options(build):
    r = subprocess.run(["meson", "introspect", "--buildoptions", build], check=True,
                       capture_output=True, text=True)
    o = {x["name"]: x["value"] for x in json.loads(r.stdout)}
    p = o["prefix"]
    d = {k: os.path.join(p, o[k]) for k in ("bindir", "sysconfdir", "datadir", "libexecdir",
                                             "mandir")}
    d["prefix"] = p
    unit = o["systemdunitdir"]
    if unit == "":
        unit = os.path.join(p, "lib/systemd/system")
        if p == "/usr":
            unit = subprocess.run(["pkg-config", "--variable=systemdsystemunitdir", "systemd"],
                                  capture_output=True, text=True).stdout.strip() or unit
    d["unitdir"] = unit
    return d


def destdir_install(build, dest):
    env = dict(os.environ, DESTDIR=dest)
    r = subprocess.run(["meson", "install", "-C", build, "--no-rebuild"], env=env,
                       capture_output=True, text=True)
    check(r.returncode == 0, "DESTDIR=%s meson install -C %s: exit 0" % (dest, build),
          r.stdout[-1000:] + r.stderr[-1000:])


def tree(dest):
    """{absolute install path: octal mode} of every file under dest."""
    out = {}
    for root, _, files in os.walk(dest):
        for f in files:
            full = os.path.join(root, f)
            out["/" + os.path.relpath(full, dest)] = "%o" % (os.stat(full).st_mode & 0o7777)
    return out


def expected_files(d, src, exes):
    """Every app with install : true in bindir (fmip-mn too, once it says so), the rest by
    name."""
    doc = os.path.join(d["datadir"], "doc/fmipgw")
    exp = {os.path.join(d["bindir"], e): "755" for e in exes}
    exp.update({
        os.path.join(d["sysconfdir"], "fmipgw/fmipgw.conf"): "644",
        os.path.join(d["sysconfdir"], "default/fmipgw"): "644",
        os.path.join(d["datadir"], "fmipgw/make-credentials.sh"): "755",
        os.path.join(d["libexecdir"], "fmipgw/fmipgw-prepare"): "755",
        os.path.join(doc, "README.md"): "644",
        os.path.join(doc, "examples/fmipgw.conf"): "644",
        os.path.join(doc, "examples/instance.env"): "644",
        os.path.join(d["mandir"], "man8/fmipgw.8"): "644",
        os.path.join(d["mandir"], "man8/fmipctl.8"): "644",
        os.path.join(d["mandir"], "man5/fmipgw.conf.5"): "644"})
    for md in glob.glob(os.path.join(src, "docs", "*.md")):
        exp[os.path.join(doc, os.path.basename(md))] = "644"
    for u in ("fmipgw.service", "fmipgw@.service", "fmipgw-hugepages.service"):
        exp[os.path.join(d["unitdir"], u)] = "644"
    return exp


def installed_executables(build):
    r = subprocess.run(["meson", "introspect", "--targets", build], check=True,
                       capture_output=True, text=True)
    return [t["name"] for t in json.loads(r.stdout)
            if t["type"] == "executable" and t.get("installed")]


def t_files(build, src):
    d = options(build)
    tmp = tempfile.mkdtemp(prefix="fmipgw-inst-")
    try:
        destdir_install(build, tmp)
        exes = installed_executables(build)
        check({"fmipgw", "fmipctl"} <= set(exes), "fmipgw and fmipctl are installed targets %s"
              % exes)
        got, exp = tree(tmp), expected_files(d, src, exes)
        check(got == exp, "installed files and modes are exactly the expected %d (missing %s, "
              "extra %s, wrong mode %s)" % (len(exp), sorted(set(exp) - set(got)),
                                            sorted(set(got) - set(exp)),
                                            sorted(k for k in exp if k in got and
                                                   got[k] != exp[k])))
        check(sorted(exes) == sorted(os.path.basename(p) for p in got
                                     if p.startswith(d["bindir"] + "/")),
              "every executable target with install : true lands in bindir %s: %s" %
              (d["bindir"], exes))
        sample = open(os.path.join(src, "conf/fmipgw.conf")).read()
        want = sample.replace("/etc/", d["sysconfdir"] + "/")
        for path in (os.path.join(d["sysconfdir"], "fmipgw/fmipgw.conf"),
                     os.path.join(d["datadir"], "doc/fmipgw/examples/fmipgw.conf")):
            check(open(tmp + path).read() == want,
                  "%s is conf/fmipgw.conf with its paths under %s" % (path, d["sysconfdir"]))
        r = subprocess.run([tmp + os.path.join(d["bindir"], "fmipgw"), "--", "--help"],
                           capture_output=True, text=True)
        check(r.returncode == 0 and r.stdout.startswith("usage: fmipgw"),
              "the installed fmipgw runs (-- --help)")
        # a second install keeps what the operator edited
        edited = [tmp + os.path.join(d["sysconfdir"], p)
                  for p in ("fmipgw/fmipgw.conf", "default/fmipgw")]
        for f in edited:
            open(f, "a").write("; edited by the operator\n")
        destdir_install(build, tmp)
        for f in edited:
            check(open(f).read().endswith("; edited by the operator\n"),
                  "a second meson install keeps the edited %s" % f[len(tmp):])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def render(page, warn=None):
    """man -l PAGE at 80 columns: (text without overstrike, warnings of man and groff)."""
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env)
    w = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True,
                       env=env).stderr
    w += subprocess.run(["groff", "-man", "-Tutf8", "-wall", "-z", page],
                        capture_output=True, text=True).stderr
    return re.sub(".\b", "", r.stdout), w


def blocks(text, heading):
    """Split rendered text at lines matching heading (a regex with one group)."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(heading, line)
        if m:
            cur = out.setdefault(m.group(1), [])
        elif cur is not None:
            cur.append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def section(text, name):
    return blocks(text, r"^([A-Z][A-Z ]+)$").get(name, "")


def help_options(text):
    """Every -x / --long option named at the start of an indented help line."""
    opts = set()
    for line in text.splitlines():
        m = re.match(r"^\s+((?:-[a-zA-Z], )?--?[a-z][a-z-]*)", line)
        if m:
            opts.update(re.findall(r"--?[a-z][a-z-]*", m.group(1)))
    return opts


def t_man(build, gw, ctl):
    pages = {p: render(os.path.join(build, "man", p))
             for p in ("fmipgw.8", "fmipgw.conf.5", "fmipctl.8")}
    for p, (text, warn) in pages.items():
        check(len(text) > 2000 and warn == "", "%s renders without warnings (man --warnings, "
              "groff -wall)" % p, warn)
    conf = blocks(section(pages["fmipgw.conf.5"][0], "SECTIONS AND KEYS"), r"^   \[(.+)\]$")
    want = help_config(gw)
    check(sorted(conf) == sorted(want), "fmipgw.conf(5) has the sections of --help-config %s"
          % sorted(want))
    for sec, keys in want.items():
        got = set(re.findall(r"^       (\S+) \(", conf.get(sec, ""), re.M))
        check(got == keys, "fmipgw.conf(5) [%s]: the keys of --help-config %s (page: %s)" %
              (sec, sorted(keys), sorted(got)))
    gw8 = pages["fmipgw.8"][0]
    hopts = help_options(subprocess.run([gw, "--", "--help"], capture_output=True,
                                        text=True).stdout)
    missing = [o for o in hopts if not re.search(r"^       (.*, )?%s\b" % re.escape(o),
                                                 section(gw8, "OPTIONS"), re.M)]
    check(len(hopts) >= 10 and not missing, "fmipgw(8) OPTIONS has every option of --help "
          "(%d; missing %s)" % (len(hopts), missing))
    counters = re.findall(r"^\| `(\w+)` \|", subprocess.run(
        [gw, "--", "--counters-md"], capture_output=True, text=True).stdout, re.M)
    got = set(re.findall(r"^       (\w+) \(", section(gw8, "COUNTERS"), re.M))
    check(len(counters) > 40 and set(counters) == got,
          "fmipgw(8) COUNTERS lists exactly the %d counters of --counters-md" % len(counters))
    t_man_fmipctl(ctl, pages["fmipctl.8"][0])


def t_man_fmipctl(ctl, text):
    cmds = re.findall(r"^  ([a-z]+)\s{2,}", subprocess.run([ctl, "--help"], capture_output=True,
                                                          text=True).stdout, re.M)
    got = blocks(section(text, "COMMANDS"), r"^   ([a-z]+)$")
    check(len(cmds) >= 4 and sorted(got) == sorted(cmds),
          "fmipctl(8) COMMANDS has one entry per command of --help %s" % cmds)
    for c in cmds:
        h = subprocess.run([ctl, c, "--help"], capture_output=True, text=True).stdout
        opts = help_options(h) | set(re.findall(r"\[(--[a-z-]+)", h)) | \
            set(re.findall(r" (--[a-z-]+) [A-Z]", h))
        missing = sorted(o for o in opts if not re.search(r"(^|\s|\[)%s\b" % re.escape(o),
                                                          got.get(c, "")))
        check(opts and not missing, "fmipctl(8) %s: every option of `fmipctl %s --help` %s "
              "(missing %s)" % (c, c, sorted(opts), missing))


def unit_settings(unitdir, rewrite=None):
    gw = unitrun.parse_unit(os.path.join(unitdir, "fmipgw.service"), rewrite)["Service"]
    tp = unitrun.parse_unit(os.path.join(unitdir, "fmipgw@.service"), rewrite)["Service"]
    hp = unitrun.parse_unit(os.path.join(unitdir, "fmipgw-hugepages.service"), rewrite)
    for name, s, pfx in (("fmipgw.service", gw, "fmipgw"), ("fmipgw@.service", tp,
                                                            "fmipgw-%i")):
        start = s["ExecStart"][-1]
        check(s["CapabilityBoundingSet"] == [""] and s["NoNewPrivileges"] == ["yes"] and
              s["LimitMEMLOCK"] == ["infinity"] and s["ProtectSystem"] == ["strict"] and
              s["Restart"] == ["on-failure"] and s["ProtectHome"] == ["yes"] and
              s["PrivateTmp"] == ["yes"],
              "%s: no capability, no new privileges, memlock unlimited, read-only system, "
              "restart on failure" % name)
        check(not ({"DevicePolicy", "DeviceAllow"} & set(s)) and
              s.get("PrivateDevices", ["no"]) == ["no"] and
              s.get("ProtectClock", ["no"]) == ["no"],
              "%s: no device restriction (the vfio group devices appear after the start; "
              "ProtectClock= would imply DeviceAllow=)" % name)
        check("--file-prefix %s " % pfx in start and s["RuntimeDirectory"] == ["dpdk/" + pfx]
              and s["ExecReload"][-1] == "/bin/kill -HUP $MAINPID" and
              any(c.startswith("+") and "bind-nics -- $FMIPGW_EAL_ARGS" in c
                  for c in s["ExecStartPre"]),
              "%s: EAL file prefix %s = its runtime directory, reload = SIGHUP, the -a ports "
              "bound by a privileged ExecStartPre" % (name, pfx))
    check(tp["EnvironmentFile"][0].endswith("/fmipgw/%i.env") and
          "/fmipgw/%i.conf" in tp["ExecStart"][-1],
          "fmipgw@.service: instance %i -> %i.conf and %i.env")
    check(hp["Service"]["Type"] == ["oneshot"] and hp["Service"]["RemainAfterExit"] == ["yes"]
          and "hugepages $FMIPGW_HUGEPAGES" in hp["Service"]["ExecStart"][-1],
          "fmipgw-hugepages.service: a oneshot that stays active, FMIPGW_HUGEPAGES")


def t_units(build, gw, ctl, src):
    d = options(build)
    tmp = tempfile.mkdtemp(prefix="fmipgw-units-")
    try:
        destdir_install(build, tmp)
        rw = {d["prefix"] + "/": tmp + d["prefix"] + "/"}
        if not d["sysconfdir"].startswith(d["prefix"] + "/"):
            rw[d["sysconfdir"] + "/"] = tmp + d["sysconfdir"] + "/"
        vdir = os.path.join(tmp, "verify")
        os.mkdir(vdir)
        for u in ("fmipgw.service", "fmipgw@.service", "fmipgw-hugepages.service"):
            text = open(tmp + os.path.join(d["unitdir"], u)).read()
            for old, new in rw.items():
                text = text.replace(old, new)
            open(os.path.join(vdir, u), "w").write(text)
        verify_units([os.path.join(vdir, u) for u in ("fmipgw.service", "fmipgw@t.service",
                                                      "fmipgw-hugepages.service")], man=False)
        unit_settings(vdir)
        inst = "t%d" % os.getpid()
        etc = tmp + os.path.join(d["sysconfdir"], "fmipgw")
        cred = os.path.join(etc, "cred")
        subprocess.run(["sh", os.path.join(src, "conf/make-credentials.sh"), "--out", cred,
                        "--prefix", "2003::/64", "--fmipctl", ctl], check=True,
                       stdout=subprocess.DEVNULL)
        conf = open(os.path.join(etc, "fmipgw.conf")).read()
        open(os.path.join(etc, inst + ".conf"), "w").write(
            conf.replace(d["sysconfdir"] + "/fmipgw/", cred + "/"))
        open(os.path.join(etc, inst + ".env"), "w").write('FMIPGW_EAL_ARGS="%s"\n' % VDEV_EAL)
        res = unitrun.run_service(os.path.join(vdir, "fmipgw@.service"), ctl, inst)
        check_run(res, "fmipgw@%s.service by hand (DESTDIR tree)" % inst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    # meson's timeout sends SIGTERM: leave through the finally blocks (purge, temp trees)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "deb":
        import test_deb
        test_deb.t_deb(*args)
    else:
        {"files": t_files, "man": t_man, "units": t_units}[cmd](*args)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
