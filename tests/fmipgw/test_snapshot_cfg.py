#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The configuration side of the key table's persistence, on the real binary: the key import
([bench] key_import, issue 12 item 2; its file written here from the format's definition,
snapfmt.write_import) and the [snapshot] refusals with file:line (issue 13 item 7).
Shares test_snapshot.py's helpers.

usage: test_snapshot_cfg.py CMD GW MKCRED FMIPCTL VECTORS
  import   net_pcap: a key-export file written here installs its keys (FBUs accepted,
           keys_imported, WARNING with the count, --check says so); mode 0644, a malformed line,
           a duplicate CGA refused with file:line; the import wins over the snapshot
  config   [snapshot] refusals with file:line: file without kek_file, kek_file mode 0644, a
           KEK of 64 hex characters, a directory that does not exist, secret_heap_mb too small
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_gw as T  # noqa: E402
import snapfmt as S  # noqa: E402
from test_gw import check, creds  # noqa: E402
from test_snapshot import (A, ROUTER, fbus, kek_file, mk_entries, pcap_conf,  # noqa: E402
                           pcap_run, router_hash, run, snap_section)


def t_import(gw, mkcred, fmipctl, vectors):
    tmp = tempfile.mkdtemp()
    try:
        d = creds(tmp, mkcred, fmipctl)
        imp = os.path.join(tmp, "bench.keys")
        ents = mk_entries(2, [0, 0]) + mk_entries(1, [0], at=1)
        ents[2]["cga"] = A("2003::6:1")
        recs = [(e["cga"], e["at"], e["key"], 600, e["pk_sha1"]) for e in ents]
        S.write_import(imp, recs)
        conf_text = pcap_conf(d, "[bench]\nkey_import = %s\n" % imp)
        conf = os.path.join(tmp, "gw.conf")
        open(conf, "w").write(conf_text)
        line = conf_text.split("\n").index("key_import = %s" % imp) + 1
        r = subprocess.run([gw, "--", "--config", conf, "--check"], capture_output=True,
                           text=True)
        check(r.returncode == 0 and "WARNING: BENCHMARK AID: %s:%d: [bench] key_import installs "
              "3 handover keys from %s" % (conf, line, imp) in r.stderr,
              "--check: OK, says the aid would install 3 keys (%s)" % r.stderr.strip()[-200:])
        rc, s, tel, out = pcap_run(gw, tmp, conf_text, fbus(ents), "i1",
                                   tel=["/fmipgw/key,2003::6:1"])
        k = tel.get("/fmipgw/key") or {}
        check(rc == 0 and s.get("keys_imported") == 3 and s.get("fbu_accepted") == 3 and
              "BENCHMARK AID: imported 3 handover keys from %s ([bench] key_import); never in "
              "production" % imp in out,
              "start: 3 keys imported, logged loudly, their FBUs accepted (%s)" % {
                  x: s.get(x) for x in ("keys_imported", "fbu_accepted")})
        shown = (out + json.dumps(tel)).lower()
        check(not any(e["key"].hex() in shown for e in ents),
              "no imported key in the log or telemetry")
        check(k.get("at") == 1 and k.get("hk_lifetime_s") == 600 and
              590 <= k.get("expires_in_s", 0) <= 600, "the AT 1 key: lifetime 600 s from the "
              "import (%s)" % k)
        # refusals
        os.chmod(imp, 0o644)
        for args in (["--", "--config", conf, "--check"],
                     T.eal("fmipgw_t_snap_imode", "net_null0") + ["--", "--config", conf]):
            r = subprocess.run([gw] + args, capture_output=True, text=True, timeout=60)
            check(r.returncode == 1 and "%s:%d: [bench] key_import: %s is readable or writable "
                  "by group or others (mode 0644)" % (conf, line, imp) in r.stderr and
                  "chmod 600 %s" % imp in r.stderr,
                  "mode 0644 refused with file:line and the fix (%s)" % r.stderr.strip()[-200:])
        os.chmod(imp, 0o600)
        body = open(imp).read().split("\n")
        body[3] = body[3].replace(" 600 ", " 0 ")
        bad = os.path.join(tmp, "bad.keys")
        S.write_import(bad, [])
        open(bad, "w").write("\n".join(body))
        open(conf, "w").write(conf_text.replace(imp, bad))
        r = subprocess.run([gw, "--", "--config", conf, "--check"], capture_output=True,
                           text=True)
        check(r.returncode == 1 and "%s:4: lifetime '0' is not 1..65535 seconds" % bad in
              r.stderr, "a malformed line: refused with the import file's path:line (%s)" %
              r.stderr.strip())
        S.write_import(bad, recs + recs[1:2])
        r = subprocess.run([gw] + T.eal("fmipgw_t_snap_idup", "net_null0") +
                           ["--", "--config", conf], capture_output=True, text=True,
                           timeout=60)
        check(r.returncode == 1 and "%s:6: CGA 2003::5:2 is already on line 4" % bad in
              r.stderr, "a duplicate CGA refused at start (%s)" % r.stderr.strip()[-200:])
        # the import wins over the snapshot (the benchmark's keys, fresh sequences)
        kek, kp = kek_file(tmp)
        snap = os.path.join(tmp, "keys.sealed")
        wall, boot = S.clocks()
        old = [dict(ents[0], key=os.urandom(20), last_seq=0x10005, hk_rem_ms=300000,
                    rem_ms=300000)]
        open(snap, "wb").write(S.seal(kek, S.label(A(ROUTER), router_hash(d)),
                                      S.keytab(old, wall, boot, S.boot_id())))
        rc, s, tel, out = pcap_run(gw, tmp, conf_text + snap_section(snap, kp), fbus(ents),
                                   "i2")
        check(s.get("keys_imported") == 3 and s.get("snapshot_keys_refused") == 1 and
              s.get("fbu_accepted") == 3 and "1 already installed by the key import" in out,
              "import and snapshot: the imported key wins, the snapshot's is refused, counted "
              "(%s; %s)" % ({x: s.get(x) for x in ("keys_imported", "snapshot_keys_refused",
                                                   "fbu_accepted")},
                            [ln for ln in out.splitlines() if "snapshot" in ln][:2]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def t_config(gw, mkcred, fmipctl, vectors):
    tmp = tempfile.mkdtemp()
    try:
        d = creds(tmp, mkcred, fmipctl)
        kek, kp = kek_file(tmp)
        snap = os.path.join(tmp, "keys.sealed")
        base = pcap_conf(d, "")
        n = base.count("\n")
        f = os.path.join(tmp, "c.conf")
        hexk = os.path.join(tmp, "hex.kek")
        fd = os.open(hexk, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, os.urandom(32).hex().encode() + b"\n")
        os.close(fd)
        cases = [
            ("file without kek_file", "[snapshot]\nfile = %s\n" % snap, n + 2,
             "[snapshot] file needs kek_file"),
            ("kek_file without file", "[snapshot]\nkek_file = %s\n" % kp, n + 2,
             "kek_file is set but file is empty"),
            ("no such directory", snap_section(tmp + "/nope/keys.sealed", kp), n + 2,
             "cannot write in its directory %s/nope" % tmp),
            ("KEK in hex", snap_section(snap, hexk), n + 3, "holds hexadecimal text"),
            ("secret heap too small", snap_section(snap, kp) +
             "[keys]\ncapacity = 1000000\n", n + 2,
             "secret_heap_mb = 32 cannot hold a snapshot of 1000000 keys"),
        ]
        for what, extra, line, needle in cases:
            open(f, "w").write(base + extra)
            r = subprocess.run([gw, "--", "--config", f, "--check"], capture_output=True,
                               text=True)
            check(r.returncode == 1 and "%s:%d:" % (f, line) in r.stderr and needle in r.stderr,
                  "%s: refused with file:line (%s)" % (what, r.stderr.strip()))
        os.chmod(kp, 0o644)
        open(f, "w").write(base + snap_section(snap, kp))
        for args in (["--", "--config", f, "--check"],
                     T.eal("fmipgw_t_snap_kmode", "net_null0") + ["--", "--config", f]):
            r = subprocess.run([gw] + args, capture_output=True, text=True, timeout=60)
            check(r.returncode == 1 and "%s:%d: [snapshot] kek_file:" % (f, n + 3) in r.stderr
                  and "chmod 600 %s" % kp in r.stderr,
                  "kek_file mode 0644 refused (--check and start) (%s)" % r.stderr.strip()[-160:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run({"import": t_import, "config": t_config}))
