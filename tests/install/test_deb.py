# SPDX-License-Identifier: BSD-3-Clause
"""install-deb: the Debian package, built and used as an operator would (test_install.py deb).

Copies the source tree, runs `dpkg-buildpackage -us -uc -b` with DEB_BUILD_OPTIONS="nocheck
parallel=2", checks the package (Depends by Debian names from ${shlibs:Depends}, conffiles,
file list and modes, version), installs it on this machine with apt, then: the installed
units pass `systemd-analyze verify` (man pages included), `man fmipgw.conf` shows every key
of the installed binary, credentials made by the installed script make the installed sample
pass `--check`, and the units' commands run by hand bring the gateway up on a net_null vdev
with the installed configuration (fmipgw.service and an fmipgw@ instance).  The package is
purged at the end.  Refuses to run when fmipgw is already installed: it does not replace an
operator's package.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import time

import unitrun
from common import VDEV_EAL, check, check_run, help_config, verify_units

UNITS = "/lib/systemd/system"
APT = ["apt-get", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=600"]
ETC_KEEP = ("fmipgw.conf",)  # files of /etc/fmipgw the package owns


def installed():
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "fmipgw"], capture_output=True,
                       text=True)
    return "install ok installed" in r.stdout


def copy_tree(src, dst):
    """The source tree without VCS data and build directories (any directory holding a
    build.ninja or meson-private), as a clean checkout would be."""
    def ignore(d, names):
        return [n for n in names if n == ".git" or n.startswith("obj-") or
                os.path.exists(os.path.join(d, n, "build.ninja")) or
                os.path.isdir(os.path.join(d, n, "meson-private"))]
    shutil.copytree(src, dst, ignore=ignore, symlinks=True)


def build(src, tmp):
    tree = os.path.join(tmp, "fmipgw")
    copy_tree(src, tree)
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck parallel=2", DEB_BUILD_PROFILES="nocheck")
    t0 = time.time()
    r = subprocess.run(["nice", "dpkg-buildpackage", "-us", "-uc", "-b"], cwd=tree, env=env,
                       capture_output=True, text=True)
    log = r.stdout + r.stderr
    check(r.returncode == 0, "dpkg-buildpackage -us -uc -b: exit 0 in %.0f s" %
          (time.time() - t0), log[-3000:])
    warn = [line for line in log.splitlines() if re.search(r"warning:", line) and
            "dpkg-buildpackage: warning: using a gain-root-command" not in line]
    check(not warn, "the package build prints no compiler or debhelper warning %s" % warn[:5])
    debs = glob.glob(os.path.join(tmp, "fmipgw_*_amd64.deb"))
    return debs[0] if debs else None


def field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", deb, name], capture_output=True,
                          text=True).stdout.strip()


def check_package(deb, version):
    check(field(deb, "Version") == version, "package version %s == meson project version %s"
          % (field(deb, "Version"), version))
    deps = {d.strip().split(" ")[0] for d in field(deb, "Depends").split(",")}
    want = {"libipsec-mb1", "libssl3", "libpcap0.8", "libjansson4", "librte-eal23",
            "librte-ethdev23", "librte-mbuf23", "librte-mempool23", "librte-ring23",
            "librte-mempool-ring23", "dpdk", "python3", "openssl"}
    check(want <= deps, "Depends names the runtime libraries by their Debian names: missing "
          "%s (Depends: %s)" % (sorted(want - deps), field(deb, "Depends")))
    rte = [d for d in deps if d.startswith("librte-")]
    check(all(re.match(r"^librte-[a-z0-9-]+23$", d) for d in rte),
          "every DPDK library is the 22.11 ABI (23): %s" % sorted(rte))
    conff = subprocess.run(["sh", "-c", "dpkg-deb --ctrl-tarfile '%s' | tar -xO ./conffiles"
                            % deb], capture_output=True, text=True).stdout.split()
    check(sorted(conff) == ["/etc/default/fmipgw", "/etc/fmipgw/fmipgw.conf"],
          "conffiles: /etc/fmipgw/fmipgw.conf and /etc/default/fmipgw (%s)" % conff)
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
    modes = {m.group(2): m.group(1) for m in
             re.finditer(r"^(\S+) \S+\s+\d+ \S+ \S+ \.(\S+)$", listing, re.M)}
    for path, mode in (("/usr/bin/fmipgw", "-rwxr-xr-x"), ("/usr/bin/fmipctl", "-rwxr-xr-x"),
                       ("/etc/fmipgw/fmipgw.conf", "-rw-r--r--"),
                       ("/usr/libexec/fmipgw/fmipgw-prepare", "-rwxr-xr-x"),
                       ("/usr/share/fmipgw/make-credentials.sh", "-rwxr-xr-x"),
                       ("/usr/share/man/man5/fmipgw.conf.5.gz", "-rw-r--r--"),
                       ("/usr/share/man/man8/fmipgw.8.gz", "-rw-r--r--"),
                       ("/usr/share/man/man8/fmipctl.8.gz", "-rw-r--r--"),
                       (UNITS + "/fmipgw.service", "-rw-r--r--"),
                       (UNITS + "/fmipgw@.service", "-rw-r--r--"),
                       (UNITS + "/fmipgw-hugepages.service", "-rw-r--r--")):
        check(modes.get(path) == mode, "package holds %s %s (%s)" % (mode, path,
                                                                   modes.get(path)))


def check_installed_man():
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    # man-db's formatted pages of an earlier install of the same version (same changelog date,
    # so the same SOURCE_DATE_EPOCH mtime) would be shown instead of the new page
    for cat in glob.glob("/var/cache/man/cat*/fmip*"):
        os.unlink(cat)
    r = subprocess.run(["man", "5", "fmipgw.conf"], capture_output=True, text=True, env=env)
    text = re.sub(".\b", "", r.stdout)
    keys = help_config("/usr/bin/fmipgw")
    missing = [(s, k) for s, ks in keys.items() for k in ks
               if not re.search(r"^       %s \(" % re.escape(k), text, re.M)]
    check(r.returncode == 0 and sum(map(len, keys.values())) > 40 and not missing,
          "`man fmipgw.conf` shows every key of the installed fmipgw's --help-config "
          "(missing %s)" % missing)
    for page in (["8", "fmipgw"], ["8", "fmipctl"], ["5", "fmipgw.conf"]):
        w = subprocess.run(["man", "--warnings"] + page, capture_output=True, text=True,
                           env=env)
        check(w.returncode == 0 and w.stderr == "", "`man --warnings %s` renders cleanly"
              % " ".join(page), w.stderr)
        # every installed file a page names exists (not the INSTANCE placeholders, not the
        # credentials the operator makes in /etc/fmipgw)
        named = set(re.findall(r"(/(?:usr|lib|etc)/[\w./@-]*[\w@])", re.sub(".\b", "",
                                                                         w.stdout)))
        absent = sorted(p for p in named if not os.path.exists(p) and
                        not re.search(r"[A-Z]", p) and
                        not (p.startswith("/etc/fmipgw/") and p != "/etc/fmipgw/fmipgw.conf"))
        check(named and not absent, "the %d paths `man %s` names exist (absent: %s)"
              % (len(named), " ".join(page), absent))


def check_installed_run(prepare_default):
    r = subprocess.run(["/usr/bin/fmipgw", "--", "--help"], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout.startswith("usage: fmipgw"),
          "installed `fmipgw -- --help`: exit 0, usage")
    r = subprocess.run(["sh", "/usr/share/fmipgw/make-credentials.sh", "--out", "/etc/fmipgw",
                        "--prefix", "2003::/64"], capture_output=True, text=True)
    check(r.returncode == 0, "installed make-credentials.sh writes /etc/fmipgw (fmipctl from "
          "PATH)", r.stderr[-300:])
    r = subprocess.run(["/usr/bin/fmipgw", "--", "--config", "/etc/fmipgw/fmipgw.conf",
                        "--check"], capture_output=True, text=True)
    check(r.returncode == 0 and "configuration OK" in r.stdout,
          "installed `fmipgw -- --config /etc/fmipgw/fmipgw.conf --check` passes on the "
          "installed sample", r.stdout + r.stderr)
    # the hugepages unit: the shipped FMIPGW_HUGEPAGES checked in dry-run, then the unit's
    # own command with the test's empty value
    r = subprocess.run(["/usr/libexec/fmipgw/fmipgw-prepare", "hugepages", "--dry-run"] +
                       prepare_default.split(), capture_output=True, text=True)
    check(r.returncode == 0 and "--node 0 --pagesize 2M --reserve 1048576K" in r.stdout,
          "shipped FMIPGW_HUGEPAGES=%r: the dry run reserves 512 x 2M on node 0" %
          prepare_default, r.stdout + r.stderr)
    hp = unitrun.parse_unit(UNITS + "/fmipgw-hugepages.service")["Service"]
    log = []
    env = unitrun.env_file(hp["EnvironmentFile"][-1], None)
    ok = unitrun.run_cmd(hp, hp["ExecStart"][-1], env, None, log)
    check(ok and "nothing reserved" in log[-1], "fmipgw-hugepages.service ExecStart by hand "
          "(FMIPGW_HUGEPAGES empty): exit 0", log[-1])
    res = unitrun.run_service(UNITS + "/fmipgw.service", "/usr/bin/fmipctl")
    check_run(res, "fmipgw.service by hand, installed /etc/fmipgw/fmipgw.conf")
    inst = "t%d" % os.getpid()
    shutil.copy("/etc/fmipgw/fmipgw.conf", "/etc/fmipgw/%s.conf" % inst)
    open("/etc/fmipgw/%s.env" % inst, "w").write('FMIPGW_EAL_ARGS="%s"\n' % VDEV_EAL)
    res = unitrun.run_service(UNITS + "/fmipgw@.service", "/usr/bin/fmipctl", inst)
    check_run(res, "fmipgw@%s.service by hand" % inst)


def t_deb(src, version):
    if installed():
        check(False, "fmipgw is installed on this machine: this test installs and purges its "
              "own build, remove the package first (apt-get purge fmipgw)")
        return
    tmp = tempfile.mkdtemp(prefix="fmipgw-deb-")
    try:
        deb = build(src, tmp)
        if deb is None:
            return
        check_package(deb, version)
        r = subprocess.run(APT + ["install", os.path.abspath(deb)], capture_output=True, text=True)
        check(r.returncode == 0 and installed(), "apt-get install ./%s: installed" %
              os.path.basename(deb), r.stdout[-500:] + r.stderr[-500:])
        if not installed():
            return
        verify_units([UNITS + "/fmipgw.service", UNITS + "/fmipgw@t.service",
                      UNITS + "/fmipgw-hugepages.service"])
        check_installed_man()
        default = unitrun.env_file("/etc/default/fmipgw", None).get("FMIPGW_HUGEPAGES", "")
        open("/etc/default/fmipgw", "w").write('FMIPGW_EAL_ARGS="%s"\nFMIPGW_HUGEPAGES=""\n'
                                               % VDEV_EAL)
        check_installed_run(default)
    finally:
        purge()
        shutil.rmtree(tmp, ignore_errors=True)


def purge():
    if installed():
        r = subprocess.run(APT + ["purge", "fmipgw"], capture_output=True, text=True)
        check(r.returncode == 0 and not installed() and not os.path.exists("/usr/bin/fmipgw"),
              "apt-get purge fmipgw: gone", r.stderr[-300:])
    # what the test made in /etc/fmipgw (credentials, the instance): dpkg leaves them
    if os.path.isdir("/etc/fmipgw"):
        for f in os.listdir("/etc/fmipgw"):
            if f in ETC_KEEP:
                continue
            if os.path.isdir(os.path.join("/etc/fmipgw", f)):  # e.g. ca-private/
                shutil.rmtree(os.path.join("/etc/fmipgw", f))
            else:
                os.unlink(os.path.join("/etc/fmipgw", f))
        if not os.listdir("/etc/fmipgw"):
            os.rmdir("/etc/fmipgw")
