#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""docs/fmip-mn.md's scenario and counter tables are what fmip-mn prints (--scenario-md,
--counters-md): the tables are generated from the binary's own key and counter tables.
usage: test_doc.py FMIP_MN DOC"""
import os
import shutil
import subprocess
import sys


def block(text, name):
    b, e = "<!-- %s:begin -->\n" % name, "<!-- %s:end -->" % name
    return text[text.index(b) + len(b):text.index(e)]


def main():
    mn, doc = sys.argv[1:3]
    text = open(doc).read()
    bad = 0
    for opt, name in (("--scenario-md", "scenario"), ("--counters-md", "counters")):
        prefix = "fmip_mn_doc_%d" % os.getpid()
        r = subprocess.run([mn, "--no-huge", "--no-pci", "-m", "64", "--file-prefix", prefix,
                            "--log-level", "lib.eal:error", "--", opt], capture_output=True,
                           text=True)
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
        if r.returncode != 0 or r.stdout != block(text, name):
            print("FAIL %s: docs/fmip-mn.md differs from `fmip-mn -- %s`" % (name, opt))
            bad += 1
        else:
            print("ok   %s table is the binary's" % name)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
