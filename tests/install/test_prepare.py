#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""install-prepare: scripts/fmipgw-prepare (the units' helper) against fake sysfs/procfs trees.

bind-nics: which -a arguments are PCI ports, refusal of an absent device and of a host
without IOMMU (before anything is bound), a port already on vfio-pci or on a bifurcated
driver left alone, the dry run's commands, a real run with stand-in tools that bind (and
one that does not: refused), the real /sys in dry-run (no NIC here: absent device).
hugepages: the dry run's dpdk-hugepages.py commands per NUMA node (sizes in kB computed here
by hand), refusal of an unknown node or page size, the mount of a size without hugetlbfs,
a real run with a stand-in dpdk-hugepages.py that writes the fake sysfs (and one that
reserves too few pages: refused).

    test_prepare.py PREPARE
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import check, failures  # noqa: E402


def pci_tree(root, devices, iommu=True):
    """devices: {address: driver or None}.  With iommu, every device is in a group."""
    for d in ("bus/pci/drivers/ixgbe", "bus/pci/drivers/mlx5_core", "kernel/iommu_groups"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    for n, (addr, drv) in enumerate(sorted(devices.items())):
        dev = os.path.join(root, "bus/pci/devices", addr)
        os.makedirs(dev)
        if drv:
            os.makedirs(os.path.join(root, "bus/pci/drivers", drv), exist_ok=True)
            os.symlink(os.path.join(root, "bus/pci/drivers", drv), os.path.join(dev, "driver"))
        if iommu:
            g = os.path.join(root, "kernel/iommu_groups", str(n))
            os.makedirs(g)
            os.symlink(g, os.path.join(dev, "iommu_group"))


def run(prep, *args):
    r = subprocess.run([prep] + list(args), capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def tool(tmp, name, body):
    p = os.path.join(tmp, name)
    open(p, "w").write("#!/bin/sh\n" + body)
    os.chmod(p, 0o755)
    return p


def t_bind(prep, tmp):
    sysfs = os.path.join(tmp, "sys")
    pci_tree(sysfs, {"0000:3b:00.0": "ixgbe", "0000:3b:00.1": "vfio-pci",
                     "0000:5e:00.0": "mlx5_core", "0000:af:00.0": None})
    base = ["bind-nics", "--sysfs", sysfs]
    rc, out, err = run(prep, *base, "--dry-run", "--", "-l", "0-3", "-a", "3b:00.0,rxq=2",
                       "--allow=0000:3b:00.1", "-a0000:5e:00.0", "-a", "0000:AF:00.0",
                       "--vdev", "net_tap0")
    check(rc == 0 and "modprobe" not in out and
          "would run: dpdk-devbind.py --bind=vfio-pci 0000:3b:00.0 0000:af:00.0" in out and
          "0000:3b:00.1: already on vfio-pci" in out and
          "0000:5e:00.0: kept on mlx5_core" in out,
          "dry run: -a / --allow= / -aADDR / devargs / short and upper-case forms; binds the "
          "ixgbe and the unbound port, keeps vfio-pci and mlx5 ports; vfio-pci is loaded",
          out + err)
    rc, out, err = run(prep, *base, "--dry-run", "--", "-a", "0000:3b:00.0", "-a",
                       "0000:3c:00.0")
    check(rc == 1 and "0000:3c:00.0 (EAL -a) is absent" in err and "would run" not in out,
          "an absent device is refused before anything is bound: " + err.strip())
    rc, out, err = run(prep, *base, "--dry-run", "--", "-a", "3b:00.0:1")
    check(rc == 1 and "is not a PCI address" in err, "a malformed -a value is refused")
    rc, out, err = run(prep, *base, "--", "--no-pci", "-a", "0000:3c:00.0")
    check(rc == 0 and "nothing to bind" in out, "--no-pci: nothing to bind")
    rc, out, err = run(prep, *base, "--", "--no-huge", "--vdev", "net_null0")
    check(rc == 0 and "nothing to bind" in out, "vdevs only: nothing to bind")
    noiommu = os.path.join(tmp, "sys-noiommu")
    pci_tree(noiommu, {"0000:3b:00.0": "ixgbe"}, iommu=False)
    rc, out, err = run(prep, "bind-nics", "--sysfs", noiommu, "--dry-run", "--", "-a",
                       "0000:3b:00.0")
    check(rc == 1 and "IOMMU is not enabled" in err and "intel_iommu=on" in err and
          "amd_iommu=on" in err, "no IOMMU: refused with the kernel command line to use")
    # real run with stand-ins: the binding tool links the device to vfio-pci
    log = os.path.join(tmp, "calls")
    modprobe = tool(tmp, "modprobe", 'echo "modprobe $*" >>%s\nmkdir -p %s/bus/pci/drivers/$1\n'
                    % (log, sysfs))
    devbind = tool(tmp, "devbind", 'echo "devbind $*" >>%s\nshift\nfor a; do ln -sfn '
                   '%s/bus/pci/drivers/vfio-pci %s/bus/pci/devices/$a/driver; done\n'
                   % (log, sysfs, sysfs))
    shutil.rmtree(os.path.join(sysfs, "bus/pci/drivers/vfio-pci"))
    os.unlink(os.path.join(sysfs, "bus/pci/devices/0000:3b:00.1/driver"))
    rc, out, err = run(prep, *base, "--tool", "modprobe=" + modprobe, "--tool",
                       "dpdk-devbind.py=" + devbind, "--", "-a", "0000:3b:00.0")
    calls = open(log).read() if os.path.exists(log) else ""
    check(rc == 0 and calls == "modprobe vfio-pci\ndevbind --bind=vfio-pci 0000:3b:00.0\n" and
          os.readlink(os.path.join(sysfs, "bus/pci/devices/0000:3b:00.0/driver"))
          .endswith("/vfio-pci"),
          "real run: modprobe vfio-pci (module absent), dpdk-devbind.py --bind, device now on "
          "vfio-pci", calls + err)
    lazy = tool(tmp, "lazy", "exit 0\n")
    rc, out, err = run(prep, *base, "--tool", "dpdk-devbind.py=" + lazy, "--", "-a",
                       "0000:af:00.0")
    check(rc == 1 and "0000:af:00.0 is still on no driver" in err,
          "dpdk-devbind.py exiting 0 without binding is caught: " + err.strip())
    rc, out, err = run(prep, "bind-nics", "--dry-run", "--", "-a", "ffff:ff:1f.7")
    check(rc == 1 and "ffff:ff:1f.7 (EAL -a) is absent" in err,
          "real /sys, dry run: a device this host lacks is refused")


def hp_tree(root, proc, nodes, sizes_kb, mounts):
    for n in nodes:
        for kb in sizes_kb:
            d = os.path.join(root, "devices/system/node/node%d/hugepages/hugepages-%dkB" %
                             (n, kb))
            os.makedirs(d)
            open(os.path.join(d, "nr_hugepages"), "w").write("0\n")
    os.makedirs(proc)
    open(os.path.join(proc, "meminfo"), "w").write("MemTotal: 1 kB\nHugepagesize:    2048 kB\n")
    open(os.path.join(proc, "mounts"), "w").write("".join(mounts))


def t_hugepages(prep, tmp):
    sysfs, proc = os.path.join(tmp, "hsys"), os.path.join(tmp, "hproc")
    hp_tree(sysfs, proc, (0, 1), (2048, 1048576),
            ["proc /proc proc rw 0 0\n", "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,"
             "pagesize=2M 0 0\n"])
    base = ["hugepages", "--sysfs", sysfs, "--proc", proc]
    rc, out, err = run(prep, *base, "--dry-run", "0:2M:512", "1:1G:4")
    check(rc == 0 and
          "would run: dpdk-hugepages.py --node 0 --pagesize 2M --reserve 1048576K" in out and
          "would run: dpdk-hugepages.py --node 1 --pagesize 1G --reserve 4194304K" in out and
          "would run: mkdir -p /dev/hugepages-1G" in out and
          "would run: dpdk-hugepages.py --pagesize 1G --mount --directory /dev/hugepages-1G"
          in out and "--directory /dev/hugepages\n" not in out,
          "dry run: 512 x 2 MB on node 0 (1048576 kB), 4 x 1 GB on node 1 (4194304 kB); the "
          "1G size gets a mount, the mounted 2M does not", out + err)
    rc, out, err = run(prep, *base, "--dry-run", "0:2M:512", "2:2M:512")
    check(rc == 1 and "NUMA node 2 does not exist (nodes: 0,1)" in err and "would run" not in
          out, "an unknown NUMA node is refused before any change: " + err.strip())
    rc, out, err = run(prep, *base, "--dry-run", "0:4M:1")
    check(rc == 1 and "4M pages are not supported (sizes: 2M 1G)" in err,
          "an unsupported page size is refused: " + err.strip())
    rc, out, err = run(prep, *base, "--dry-run", "0-2M-1")
    check(rc == 1 and "is not NODE:SIZE:COUNT" in err, "a malformed spec is refused")
    rc, out, err = run(prep, *base)
    check(rc == 0 and "nothing reserved" in out, "empty FMIPGW_HUGEPAGES: nothing reserved")
    # a stand-in dpdk-hugepages.py that sets the fake sysfs count (pages = kB / size)
    fake = tool(tmp, "dpdk-hugepages", """case "$*" in
*--reserve*) n=$2; sz=$4; kb=${6%%K}
  case $sz in 2M) d=2048;; 1G) d=1048576;; esac
  f=%s/devices/system/node/node$n/hugepages/hugepages-${d}kB/nr_hugepages
  echo $((kb / d / ${SHORT:-1})) >$f;;
*--mount*) echo "hugetlbfs $5 hugetlbfs rw,pagesize=$2 0 0" >>%s/mounts;;
esac
""" % (sysfs, proc))
    mk = tool(tmp, "mkdir", "exit 0\n")
    tools = ["--tool", "dpdk-hugepages.py=" + fake, "--tool", "mkdir=" + mk]
    rc, out, err = run(prep, *base, *tools, "0:2M:512", "1:1G:4")
    nr = [open(os.path.join(sysfs, "devices/system/node/node%s/hugepages/hugepages-%skB/"
                            "nr_hugepages" % p)).read().strip()
          for p in (("0", "2048"), ("1", "1048576"))]
    check(rc == 0 and nr == ["512", "4"] and "/dev/hugepages-1G" in open(
        os.path.join(proc, "mounts")).read(),
          "real run with a stand-in: node 0 has 512 2M pages, node 1 4 1G pages, 1G mounted",
          "%s %s" % (nr, err))
    r = subprocess.run([prep] + base + tools + ["1:1G:8"], capture_output=True, text=True,
                       env=dict(os.environ, SHORT="2"))
    check(r.returncode == 1 and "node 1: 4 of the 8 1G pages reserved" in r.stderr and
          "hugepagesz=1G" in r.stderr, "fewer pages than asked: refused with the kernel "
          "command line to use: " + r.stderr.strip())


def main():
    prep = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="fmipgw-prep-")
    try:
        t_bind(prep, tmp)
        t_hugepages(prep, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
