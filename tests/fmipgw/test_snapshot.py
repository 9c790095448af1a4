#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The key table across restarts ([snapshot], issue 13 item 7) and the key import ([bench]
key_import, issue 12 item 2), on the real binary.  The files are read and written here by an
independent implementation of their formats (snapfmt.py, python3-cryptography).

usage: test_snapshot.py CMD GW MKCRED FMIPCTL VECTORS
  restart  net_tap + the Python peer: 6 MNs provisioned, 3 FBUs accepted, SIGTERM; the file
           (decrypted here) holds exactly those 6 keys, their ATs, key hashes and last
           sequences; restart: 6 restored, the old FBUs' keys verify (seq 1 of the 3 used ones
           is stale: A14 survived; seq 2 and the 3 unused accepted), forged/unknown dropped, an
           RtSolPr gets its existing key back with what is left of its lifetime
  kill9    net_tap: batch A provisioned, a periodic write completes, batch B provisioned, kill -9
           before the next write: the file holds exactly A; restart: A's FBUs accepted, B's
           dropped for want of a key
  tamper   net_pcap, snapshots written here: a valid one is loaded (FBUs accepted); a flipped
           ciphertext byte, a truncated file, another router identity (foreign), another KEK,
           malformed contents: each refused with its reason and the file named, the gateway
           starts empty (the FBUs dropped, no key), the file kept as FILE.rejected.<time>
           byte for byte, a new snapshot written at stop
  clock    net_pcap: expired keys skipped (counted); within one boot the boot clock counts
           (a wall-clock step changes nothing), across boots the wall clock; a wall clock
           earlier than the snapshot restores nothing; the lifetimes left checked in /fmipgw/key
  binding  net_pcap: keys whose FBUs set up 30 s bindings are saved at stop with 30 s of life,
           not their 300 s (A13; bindings are not saved), an unused key with its own
  (import, config: test_snapshot_cfg.py)
"""
import glob
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import test_gw as T  # noqa: E402
import fmippeer as P  # noqa: E402
import snapfmt as S  # noqa: E402
from test_gw import check, creds, minimal  # noqa: E402

from cryptography import x509  # noqa: E402

A = lambda s: socket.inet_pton(socket.AF_INET6, s)  # noqa: E731
MN_MAC, GW_MAC = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
PAR = A("2003::1")
NCOA = A("2003:0:0:2::1")
ROUTER = "fe80::1:2"  # [router] address of the net_pcap tests


def kek_file(tmp, name="seal.kek"):
    kek = os.urandom(32)
    path = os.path.join(tmp, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, kek)
    os.close(fd)
    return kek, path


def router_hash(d):
    return P.key_hash(P.load_key(d + "/router.key.pem").public_key())


def snap_section(snap, kek_path, interval=0, extra=""):
    return "[snapshot]\nfile = %s\nkek_file = %s\ninterval_s = %d\n%s" % (
        snap, kek_path, interval, extra)


# ---- live: net_tap and the Python peer ------------------------------------------------------


def bring_up(ifname):
    """A TAP the gateway made in this (the test's) namespace: no IPv6 of its own, up."""
    subprocess.run(["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % ifname], check=True)
    subprocess.run(["ip", "link", "set", ifname, "up"], check=True)
    time.sleep(0.3)


def start_gw(gw, conf, tag, ns_state):
    """The gateway on a net_tap port in the test's namespace (made on the first start)."""
    import test_gw_e2e as E
    prefix = "fmipgw_t_snap_%s_%d" % (tag, os.getpid())
    T.PREFIXES.append(prefix)
    ifname = "fsn%d" % (os.getpid() % 100000)
    g = E.Gw(gw, conf, prefix, ifname)
    if ns_state.get("ns") is None:
        ns = "fmipgw_snap_%d" % os.getpid()
        subprocess.run(["ip", "netns", "add", ns], check=True)
        ns_state["ns"] = ns
        link = E.tap_in_netns(ifname, ns)
    else:
        bring_up(ifname)
        link = E.Link(ifname)
    return g, link


def provision(link, cga, params, mn1, mn2, router_pub):
    nonce = os.urandom(14)
    link.send(P.rtsolpr(cga, P.ALL_ROUTERS, MN_MAC, params, mn1, mn2.public_key(), 0,
                        nonce=nonce), dst_mac=P.mcast_mac(P.ALL_ROUTERS))
    _, rep = link.recv(lambda ip6: ip6[6] == 58 and ip6[40] == 154 and ip6[44] == 3 and
                       ip6[24:40] == cga, timeout=5)
    if rep is None:
        return None
    at, life, key = P.prrtadv_key(rep, router_pub, mn2, nonce)
    return {"cga": cga, "params": params, "at": at, "life": life, "key": key, "src": rep[8:24]}


def send_expect(g, link, pkts, what, exp):
    import test_gw_e2e as E
    before = g.stats()
    for p in pkts:
        link.send(p)
    ok, got, moved, _ = E.delta(g, before, exp, [w for w in E.WATCH if w not in exp])
    check(ok, "%s: %s (got %s, also moved %s)" % (what, exp, got, moved))


def snapshot_tel(g):
    return g.tel.cmd("/fmipgw/snapshot").get("/fmipgw/snapshot") or {}


def file_entries(path, kek):
    lab, _, plain = S.unseal(kek, open(path, "rb").read())
    return lab, S.parse_keytab(plain)


def live_setup(gw, mkcred, fmipctl, vectors, tmp, interval):
    import test_gw_e2e as E
    import test_scale as SC
    d = creds(tmp, mkcred, fmipctl)
    kek, kp = kek_file(tmp)
    snap = os.path.join(tmp, "state", "keys.sealed")
    os.mkdir(os.path.dirname(snap), 0o700)
    conf = os.path.join(tmp, "gw.conf")
    open(conf, "w").write(E.CONFIG.format(d=d, hk_lifetime=43200, rate=0, burst=64) +
                          snap_section(snap, kp, interval))
    router_pub = x509.load_pem_x509_certificate(
        open(d + "/router.cert.pem", "rb").read()).public_key()
    mn1, mn2, ids = SC.sec0_identities(vectors, 12)
    lab = S.label(A(open(d + "/router.cga").read().strip()), P.key_hash(router_pub))
    return d, kek, snap, conf, router_pub, mn1, mn2, ids, lab


def live_cleanup(g, ns_state, tmp):
    """A gateway still running is killed; the namespace and the files go."""
    if g is not None:
        g.stop(sig=signal.SIGKILL)
    if ns_state.get("ns"):
        subprocess.run(["ip", "netns", "del", ns_state["ns"]])
    shutil.rmtree(tmp, ignore_errors=True)


def t_restart(gw, mkcred, fmipctl, vectors):
    tmp = tempfile.mkdtemp()
    ns_state, g = {}, None
    try:
        d, kek, snap, conf, router_pub, mn1, mn2, ids, lab = live_setup(
            gw, mkcred, fmipctl, vectors, tmp, 0)
        try:
            g, link = start_gw(gw, conf, "r1", ns_state)
        except RuntimeError as e:
            check(False, "the gateway starts with [snapshot] (%s)" % str(e)[-300:])
            return
        keys = [provision(link, c, p, mn1, mn2, router_pub) for c, p in ids[:6]]
        check(all(k is not None for k in keys), "6 MNs provisioned")
        if not all(keys):
            return
        check(keys[0]["src"] == A(open(d + "/router.cga").read().strip()),
              "the PrRtAdv comes from the router's CGA (the label's router address)")
        send_expect(g, link, [P.fbu(k["cga"], NCOA, PAR, k["key"], k["at"], 1)[0]
                              for k in keys[:3]], "3 FBUs before the restart",
                    {"fbu_accepted": 3})
        rc = g.stop()
        out1 = g.out.decode(errors="replace")
        g = None
        check(rc == 0 and "snapshot %s: 6 key(s) written at stop" % snap in out1,
              "SIGTERM: exit 0, the 6 keys written at stop (%s)" % out1[-300:])
        st = os.stat(snap)
        check(st.st_mode & 0o777 == 0o600, "the snapshot is mode 0600 (%o)" % st.st_mode)
        flab, tab = file_entries(snap, kek)
        ents = {e["cga"]: e for e in tab["entries"]}
        pk = hashlib.sha1(P.spki(mn1.public_key())).digest()
        check(flab == lab, "its label is '%s' (got '%s')" % (lab, flab))
        check(len(ents) == 6 and all(
            k["cga"] in ents and ents[k["cga"]]["key"] == k["key"] and
            ents[k["cga"]]["at"] == k["at"] and ents[k["cga"]]["pk_sha1"] == pk and
            ents[k["cga"]]["hk_life_s"] == 43200 and
            43200000 - 120000 < ents[k["cga"]]["rem_ms"] <= 43200000 and
            ents[k["cga"]]["last_seq"] == (0x10001 if i < 3 else 0)
            for i, k in enumerate(keys)),
            "decrypted here: exactly the 6 keys the MNs received, AT, SHA-1 of the public key, "
            "HK-LIFETIME 43200, the lifetime left, last sequence 1 for the 3 used (A14)")
        check(tab["boot_id"] == S.boot_id(), "the file names this boot")

        g, link = start_gw(gw, conf, "r2", ns_state)
        out2 = g.out.decode(errors="replace")
        sn = snapshot_tel(g)
        check(sn.get("snapshot_keys_loaded") == 6 and sn.get("snapshot_keys_expired") == 0 and
              sn.get("snapshot_files_refused") == 0 and sn.get("load_result") == "loaded" and
              "snapshot %s: 6 key(s) restored" % snap in out2,
              "restart: the 6 keys restored (%s)" % {k: sn.get(k) for k in (
                  "snapshot_keys_loaded", "snapshot_keys_expired", "load_result")})
        send_expect(g, link, [P.fbu(k["cga"], NCOA, PAR, k["key"], k["at"], 1)[0]
                              for k in keys[:3]],
                    "the used keys' old sequence is stale after the restart (A14 kept)",
                    {"drop_fbu_stale_seq": 3})
        send_expect(g, link, [P.fbu(k["cga"], NCOA, PAR, k["key"], k["at"], 2)[0]
                              for k in keys[:3]] +
                    [P.fbu(k["cga"], NCOA, PAR, k["key"], k["at"], 1)[0] for k in keys[3:]],
                    "the old keys verify after the restart", {"fbu_accepted": 6})
        send_expect(g, link, [P.fbu(keys[3]["cga"], NCOA, PAR, keys[3]["key"], 0, 9,
                                    forge=True)[0],
                              P.fbu(ids[7][0], NCOA, PAR, keys[3]["key"], 0, 1)[0]],
                    "forged and unknown still dropped",
                    {"drop_fbu_bad_mac": 1, "drop_fbu_no_key": 1})
        kr = g.tel.cmd("/fmipgw/key,%s" % socket.inet_ntop(
            socket.AF_INET6, keys[4]["cga"]))["/fmipgw/key"]
        check(kr.get("state") == "live" and kr.get("hk_lifetime_s") == 43200 and
              43200 - 120 < kr.get("expires_in_s", 0) < 43200,
              "/fmipgw/key: HK-LIFETIME 43200, a little less left (%s)" % kr)
        again = provision(link, keys[4]["cga"], keys[4]["params"], mn1, mn2, router_pub)
        check(again is not None and again["key"] == keys[4]["key"] and
              43200 - 120 < again["life"] < 43200,
              "an RtSolPr after the restart gets its existing key back (A8) with what is "
              "left of its lifetime (%s)" % (again and again["life"]))
        check(g.stats()["keys_existing"] == 1, "counted as an existing key")
        tel = json.dumps([snapshot_tel(g), g.tel.cmd("/fmipgw/stats"), kr]).lower()
        check(g.stop() == 0, "SIGTERM: exit 0")
        seen = out1 + g.out.decode(errors="replace") + tel
        check(not any(k["key"].hex() in seen or k["key"].hex().upper() in seen for k in keys),
              "no key in the logs of both runs nor in /fmipgw/snapshot, /fmipgw/stats, "
              "/fmipgw/key")
        g = None
    finally:
        live_cleanup(g, ns_state, tmp)


def t_kill9(gw, mkcred, fmipctl, vectors):
    interval = 5
    tmp = tempfile.mkdtemp()
    ns_state, g = {}, None
    try:
        d, kek, snap, conf, router_pub, mn1, mn2, ids, lab = live_setup(
            gw, mkcred, fmipctl, vectors, tmp, interval)
        try:
            g, link = start_gw(gw, conf, "k1", ns_state)
        except RuntimeError as e:
            check(False, "the gateway starts with [snapshot] (%s)" % str(e)[-300:])
            return
        a = [provision(link, c, p, mn1, mn2, router_pub) for c, p in ids[:3]]
        check(all(a), "batch A: 3 MNs provisioned")
        w0 = snapshot_tel(g).get("snapshot_writes", 0)
        end = time.time() + 3 * interval
        while time.time() < end:  # a write that started after A's commits has completed
            sn = snapshot_tel(g)
            if sn.get("snapshot_writes", 0) > w0 and sn.get("last_keys") == 3:
                break
            time.sleep(0.05)
        t_write = time.time()
        check(sn.get("snapshot_writes", 0) > w0 and sn.get("last_keys") == 3 and
              sn.get("snapshot_write_failures") == 0,
              "a periodic write of A's 3 keys completed (%s)" % sn)
        b = [provision(link, c, p, mn1, mn2, router_pub) for c, p in ids[3:6]]
        check(all(b), "batch B: 3 MNs provisioned after that write")
        sn = snapshot_tel(g)
        w1 = sn.get("snapshot_writes")
        # precondition of the exact assertion: no write started since A's
        check(sn.get("state") == "idle" and sn.get("next_write_in_ms", 0) > 500 and
              time.time() - t_write < interval - 1,
              "no write since (state %s, next in %s ms)" % (sn.get("state"),
                                                           sn.get("next_write_in_ms")))
        g.p.kill()
        g.p.communicate()
        g = None
        flab, tab = file_entries(snap, kek)
        got = sorted(e["cga"] for e in tab["entries"])
        check(w1 == w0 + 1 and got == sorted(k["cga"] for k in a),
              "after kill -9 the file holds exactly A's 3 keys (B came after the last write)")
        check(not glob.glob(snap + ".tmp.*"), "no temporary file left")
        g, link = start_gw(gw, conf, "k2", ns_state)
        sn = snapshot_tel(g)
        check(sn.get("snapshot_keys_loaded") == 3, "restart: 3 keys restored (%s)" %
              sn.get("snapshot_keys_loaded"))
        send_expect(g, link, [P.fbu(k["cga"], NCOA, PAR, k["key"], k["at"], 1)[0] for k in a],
                    "A's FBUs accepted after the crash", {"fbu_accepted": 3})
        send_expect(g, link, [P.fbu(k["cga"], NCOA, PAR, k["key"], k["at"], 1)[0] for k in b],
                    "B's FBUs find no key (provisioned within the lost interval)",
                    {"drop_fbu_no_key": 3})
        check(g.stop() == 0, "SIGTERM: exit 0")
        g = None
    finally:
        live_cleanup(g, ns_state, tmp)


# ---- net_pcap: snapshots written here ------------------------------------------------------


def pcap_run(gw, tmp, conf_text, frames, tag, tel=()):
    conf = os.path.join(tmp, "gw.conf")
    open(conf, "w").write(conf_text)
    inp, outp = os.path.join(tmp, "in.pcap"), os.path.join(tmp, "out.pcap")
    T.write_pcap(inp, frames)
    return T.run_live(gw, conf, "fmipgw_t_snap_" + tag,
                      ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, outp)],
                      tel_cmds=["/fmipgw/snapshot"] + list(tel))


def pcap_conf(d, extra):
    return minimal(d, "pass_through = drop\n" + extra).replace(
        "[router]\n", "[router]\naddress = %s\n" % ROUTER)


def pcap_setup(tmp, mkcred, fmipctl, extra=""):
    """Credentials, a KEK, where the snapshot goes, its label, a net_pcap configuration with
    [snapshot] (and extra): (d, kek, kek path, snapshot path, label, configuration text)."""
    d = creds(tmp, mkcred, fmipctl)
    kek, kp = kek_file(tmp)
    snap = os.path.join(tmp, "keys.sealed")
    return (d, kek, kp, snap, S.label(A(ROUTER), router_hash(d)),
            pcap_conf(d, snap_section(snap, kp) + extra))


def mk_entries(n, rem_ms, life=43200, at=0):
    out = []
    for i in range(n):
        out.append({"cga": A("2003::5:%x" % (i + 1)), "pk_sha1": os.urandom(20), "at": at,
                    "key": os.urandom(20 if at == 0 else 32), "hk_life_s": life,
                    "hk_rem_ms": rem_ms[i], "rem_ms": rem_ms[i], "last_seq": 0})
    return out


def fbus(ents, seq=1):
    return [P.eth(GW_MAC, MN_MAC, P.fbu(e["cga"], NCOA, PAR, e["key"], e["at"], seq)[0])
            for e in ents]


def t_tamper(gw, mkcred, fmipctl, vectors):
    tmp = tempfile.mkdtemp()
    try:
        d, kek, kp, snap, lab, conf = pcap_setup(tmp, mkcred, fmipctl)
        ents = mk_entries(2, [3600000, 3600000])
        wall, boot = S.clocks()
        plain = S.keytab(ents, wall, boot, S.boot_id())
        good = S.seal(kek, lab, plain)
        open(snap, "wb").write(good)
        rc, s, tel, out = pcap_run(gw, tmp, conf, fbus(ents), "ok")
        check(rc == 0 and s.get("snapshot_keys_loaded") == 2 and s.get("fbu_accepted") == 2,
              "a snapshot sealed here is loaded and its keys verify FBUs (loaded %s, accepted "
              "%s)" % (s.get("snapshot_keys_loaded"), s.get("fbu_accepted")))
        other_kek = os.urandom(32)
        bad_inner = S.keytab(ents, wall, boot, S.boot_id(), magic=b"FMIPKEYZ")
        flipped = bytearray(good)
        flipped[len(good) - 40] ^= 0x01  # a ciphertext octet
        cases = [
            ("a flipped byte", bytes(flipped), "sealed file was modified (authentication failed)"),
            ("a truncated file", good[:len(good) - 7], "sealed file is truncated"),
            ("another router identity", S.seal(kek, S.label(A("fe80::9"), router_hash(d)),
                                               plain),
             "sealed file belongs to another context (this gateway is '%s'" % lab),
            ("another KEK", S.seal(other_kek, lab, plain),
             "sealed file was written with another key-encryption key"),
            ("malformed contents", S.seal(kek, lab, bad_inner),
             "malformed contents: its contents are not a key table"),
        ]
        for i, (what, blob, reason) in enumerate(cases):
            for f in glob.glob(snap + "*"):
                os.unlink(f)
            open(snap, "wb").write(blob)
            rc, s, tel, out = pcap_run(gw, tmp, conf, fbus(ents), "t%d" % i)
            sn = tel.get("/fmipgw/snapshot") or {}
            rej = glob.glob(snap + ".rejected.*")
            check(rc == 0 and ("snapshot %s refused: %s" % (snap, reason)) in out and
                  "starts with an empty key table" in out,
                  "%s: refused, the file and the reason named (%s)" % (
                      what, [ln for ln in out.splitlines() if "refused" in ln][:1]))
            check(s.get("snapshot_files_refused") == 1 and s.get("snapshot_keys_loaded") == 0 and
                  s.get("keys_live") == 0 and s.get("drop_fbu_no_key") == 2 and
                  s.get("fbu_accepted") == 0,
                  "%s: started empty, the FBUs dropped for want of a key %s" % (what, {
                      k: s.get(k) for k in ("snapshot_files_refused", "drop_fbu_no_key",
                                            "fbu_accepted")}))
            check(len(rej) == 1 and open(rej[0], "rb").read() == blob and
                  sn.get("rejected_file") == rej[0] and
                  sn.get("load_result", "").startswith("refused: "),
                  "%s: kept as %s, byte for byte" % (what, rej))
            try:
                _, tab = file_entries(snap, kek)
                fresh = tab["entries"] == []
            except Exception:  # noqa: BLE001
                fresh = False
            check(fresh, "%s: the stop wrote a new (empty) snapshot beside it" % what)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def t_clock(gw, mkcred, fmipctl, vectors):
    tmp = tempfile.mkdtemp()
    try:
        d, kek, kp, snap, lab, conf = pcap_setup(tmp, mkcred, fmipctl)
        # written "100 s ago": one key had 50 s left (expired), one 300 s (200 left)
        ents = mk_entries(2, [50000, 300000])
        a1 = socket.inet_ntop(socket.AF_INET6, ents[1]["cga"])
        other = os.urandom(16)
        cases = [
            # (what, wall offset, boot offset, boot id, loaded, expired)
            ("same boot, 100 s ago", -100, -100, S.boot_id(), 1, 1),
            ("same boot, the wall clock stepped back an hour since", 3600, -100, S.boot_id(),
             1, 1),
            ("after a reboot, 100 s ago by the wall clock", -100, 10 ** 6, other, 1, 1),
            ("after a reboot, the wall clock behind the snapshot", 100, -100, other, 0, 2),
        ]
        for i, (what, dw, db, bid, loaded, expired) in enumerate(cases):
            wall, boot = S.clocks()
            open(snap, "wb").write(S.seal(kek, lab, S.keytab(
                ents, wall + dw * 10 ** 9, max(0, boot + db * 10 ** 9), bid)))
            rc, s, tel, out = pcap_run(gw, tmp, conf, fbus(ents), "c%d" % i,
                                       tel=["/fmipgw/key,%s" % a1])
            k = tel.get("/fmipgw/key") or {}
            ok = (rc == 0 and s.get("snapshot_keys_loaded") == loaded and
                  s.get("snapshot_keys_expired") == expired and
                  s.get("fbu_accepted") == loaded and s.get("drop_fbu_no_key") == 2 - loaded)
            if loaded:  # 200 s left at load, a few seconds of the run gone since
                ok = ok and k.get("state") == "live" and 185 <= k.get("expires_in_s", 0) <= 200
            else:
                ok = ok and k.get("state") == "absent" and "the time since is unknown" in out
            check(ok, "%s: %d restored, %d skipped as expired, FBUs accordingly; lifetime left "
                  "%s s" % (what, loaded, expired, k.get("expires_in_s")))
        # entries the AT map refuses: AT 2 (not enabled), an AT 1 key of 20 octets
        wall, boot = S.clocks()
        bad = mk_entries(2, [300000, 300000])
        bad[0]["at"] = 2
        bad[1]["at"] = 1
        open(snap, "wb").write(S.seal(kek, lab, S.keytab(bad + ents[1:], wall, boot,
                                                          S.boot_id())))
        rc, s, tel, out = pcap_run(gw, tmp, conf, [], "cat")
        check(s.get("snapshot_keys_refused") == 2 and s.get("snapshot_keys_loaded") == 1 and
              "2 refused (2 AT or key length" in out,
              "an AT not enabled and a key of another length than its AT's are refused, "
              "counted (%s)" % s.get("snapshot_keys_refused"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def t_binding(gw, mkcred, fmipctl, vectors):
    """A13 across a stop: the key of a forwarding its FBU set up is saved with no more life
    than that binding has left (bindings are not saved); an unused key keeps its own."""
    tmp = tempfile.mkdtemp()
    try:
        ap = ("[handover]\nhi = false\n[ap.n]\nlla = 02:00:00:00:0a:01\nkind = nar\n"
              "nar_lla = 02:00:00:00:0b:01\nnar_addr = 2003:0:0:2::ff\n"
              "nar_prefix = 2003:0:0:2::/64\nport = 0\n")
        d, kek, kp, snap, lab, conf = pcap_setup(tmp, mkcred, fmipctl, ap)
        ents = mk_entries(3, [300000, 300000, 300000])
        wall, boot = S.clocks()
        open(snap, "wb").write(S.seal(kek, lab, S.keytab(ents, wall, boot, S.boot_id())))
        frames = [P.eth(GW_MAC, MN_MAC, P.fbu(e["cga"], NCOA, PAR, e["key"], e["at"], 1,
                                               lifetime=30)[0]) for e in ents[:2]]
        t0 = time.time()
        rc, s, tel, out = pcap_run(gw, tmp, conf, frames, "b", tel=["/fmipgw/bindings"])
        el = time.time() - t0
        b = tel.get("/fmipgw/bindings") or {}
        check(rc == 0 and s.get("snapshot_keys_loaded") == 3 and s.get("fbu_accepted") == 2 and
              b.get("count") == 2,
              "3 keys restored, 2 FBUs accepted, 2 bindings of 30 s (%s, bindings %s)" % (
                  {k: s.get(k) for k in ("snapshot_keys_loaded", "fbu_accepted")},
                  b.get("count")))
        _, tab = file_entries(snap, kek)
        got = {e["cga"]: e for e in tab["entries"]}
        used = [got.get(e["cga"], {}) for e in ents[:2]]
        free = got.get(ents[2]["cga"], {})
        check(len(got) == 3 and
              all(30000 - 1000 * (el + 1) < u.get("rem_ms", 0) <= 30000 and
                  u.get("last_seq") == 0x10001 and u.get("key") == e["key"]
                  for u, e in zip(used, ents)),
              "the 2 keys with a binding are saved with the binding's 30 s, not their 300 s "
              "(A13; %s ms), sequence 1" % [u.get("rem_ms") for u in used])
        check(300000 - 1000 * (el + 1) < free.get("rem_ms", 0) <= 300000 and
              free.get("hk_rem_ms") == free.get("rem_ms") and free.get("last_seq") == 0,
              "the unused key keeps its own life (%s ms)" % free.get("rem_ms"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(table):
    """Run the test named by argv[1] from table with argv[2:]; the exit status."""
    table[sys.argv[1]](*sys.argv[2:])
    for p in T.PREFIXES:
        shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)
    if T.failures:
        print("%d check(s) failed" % len(T.failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(run({"restart": t_restart, "kill9": t_kill9, "tamper": t_tamper,
                  "clock": t_clock, "binding": t_binding}))
