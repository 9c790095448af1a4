#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of the handover (issue 10): the real fmipgw binary on two net_tap ports in
a network namespace (handover_net.py: port 0 = the PAR's access link, port 1 = the NAR side)
against the independent Python peer (fmippeer.py: the MN's key and FBUs; fmippeer_handover.py:
FBack check with the MN's own key, HI/HAck, the NAR's answers, RFC 2473 tunnel checks).

Checked on the wire and through telemetry (/fmipgw/stats, /fmipgw/bindings, /fmipgw/binding):
  - provisioning; before any FBU a packet for the PCoA is forwarded as it is;
  - predictive FBU (PAR's link): HI Code 0 to the NAR (MN LLA, PCoA, NCoA), no FBack before
    the HAck (RFC 5568 6.2.3), HAck 0 -> FBack status 0 through the tunnel to the NCoA and on
    the old link, each BADF verified with the peer's key; the binding active;
  - a packet to the PCoA arrives IPv6-in-IPv6 at the NAR side, outer header per RFC 2473 5,
    inner packet identical but for the Hop Limit; per-binding counters; reverse tunnel:
    decapsulated and forwarded; forged outer source / inner source: dropped, never forwarded;
  - Packet Too Big (MTU 1460) and Time Exceeded toward the source instead of tunnelling;
  - a newer FBU moves the tunnel; a NAR-assigned NCoA (HAck 2): FBack status 1 with the
    Alternate CoA, the tunnel to the assigned NCoA; HAck 3: the tunnel to the NAR; reactive FBU
    (NAR's link): FBack at once, HI Code 1;
  - replayed, forged and stale FBUs change nothing (binding and counters);
  - HAck 128: binding removed, FBack 128; silent NAR: 3 retransmissions with back-off, then
    timeout, binding removed, FBack 128;
  - NCoA outside every NAR prefix: FBack 128; in a no-fmip section: FBack 129;
  - the NAR role: HAck 0 / 1 / 128 / 129 (not a neighbour) to the peer playing a PAR; a HAck
    from a non-neighbour is refused;
  - a full binding table: FBack 130;
  - Lifetime 0 tears the binding down and releases the key (A13); expiry removes a binding;
  - AT 1; tshark dissects every FBack, HI, HAck and tunnelled packet without a warning; no key
    in telemetry.
usage: test_handover_e2e.py GW_BINARY FMIPCTL_BINARY MAKE_CREDENTIALS_SH VECTORS_DIR
"""
import json
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmippeer as P  # noqa: E402
import fmippeer_handover as H  # noqa: E402
import gwrun as R  # noqa: E402
import handover_net as N  # noqa: E402
import test_gw_e2e as E  # noqa: E402

from cryptography import x509  # noqa: E402

from handover_net import (A, CN, CN_MAC, NAR, NAR_LLA, PAR, T, captured, check,  # noqa: E402
                         expect_moves, keep, ncoa, predictive_accept, provision_fn,
                         tshark_all)

CONFIG = """
[router]
key_file = {d}/router.key.pem
params_file = {d}/router.cga.params
cert_file = {d}/router.chain.pem
anchor_file = {d}/trust-anchor.pem
prefixes = 2003::/64
[par]
addresses = 2003::1
[keys]
capacity = 1024
sweep_interval_ms = 100
[binding]
capacity = 1
sweep_interval_ms = 100
[tunnel]
mtu = 1500
[handover]
hi_timeout_ms = 100
hi_retries = 3
[ports]
mbufs = 4095
mbuf_cache = 64
rx_desc = 256
tx_desc = 256
pass_through = other
[ap.nar]
lla = 02:00:00:00:0a:01
nar_lla = 02:00:00:00:00:0b
nar_addr = 2003:0:0:2::1
nar_prefix = 2003:0:0:2::/64
port = 1
[ap.old]
lla = 02:00:00:00:0a:02
kind = no-fmip
nar_prefix = 2003:0:0:3::/64
"""

def scenario_tunnel(t):
    gw, lk = t.gw, t.l
    # ---- before any binding: a packet for the PCoA is forwarded unchanged (pass other) ----
    d0 = t.data()
    lk.send(1, d0, src_mac=CN_MAC)
    got = lk.take(lambda ln, ip: ln == 0 and ip == d0)
    check(got is not None and gw.stats()["tun_encap"] == 0,
          "no binding: the packet for the PCoA is forwarded as it is")

    # ---- predictive FBU, HAck 0 ----
    before = gw.stats()
    m, hi = predictive_accept(t, 0x10)
    _, fb = t.fback_tunnel(ncoa(0x10))
    check(fb is not None and fb["status"] == 0 and fb["seq"] == t.seq and
          fb["lifetime"] == 10 and fb["ip"]["src"] == PAR and fb["ip"]["dst"] == ncoa(0x10),
          "HAck 0: FBack status 0 through the tunnel to the NCoA, BADF verified with the MN's "
          "key")
    _, fo = t.fback_old()
    check(fo is not None and fo["status"] == 0 and fo["seq"] == t.seq,
          "HAck 0: FBack status 0 on the old link to the PCoA, BADF verified")
    b = N.wait_for(lambda: t.binding().get("state") == "active" and t.binding())
    check(b and b["ncoa"] == "2003:0:0:2::10" and b["seq"] == t.seq and b["par"] == "2003::1"
          and b["tunnel_source"] == "2003::1" and 8 <= b["left_s"] <= 10,
          "/fmipgw/binding: active, NCoA, sequence, tunnel source, lifetime left (%s)" % b)
    now = gw.stats()
    check(now["hi_sent"] - before["hi_sent"] == 1 and
          now["hack_rx_0"] - before["hack_rx_0"] == 1 and
          now["fback_sent_0"] - before["fback_sent_0"] == 2,
          "counters: hi_sent +1, hack_rx_0 +1, fback_sent_0 +2")

    # ---- the tunnel ----
    d1 = t.data(200)
    ok, got, moved = expect_moves(gw, {"tun_encap": 1}, lambda: lk.send(1, d1, src_mac=CN_MAC))
    tun = keep(lk.take(lambda ln, ip: ln == 1 and N.is_tunnel_to(ip, ncoa(0x10))))
    why = "not received"
    try:
        inner = tun and H.tunnel_check(tun[2][14:], d1, PAR, ncoa(0x10))
        why = ""
    except ValueError as e:
        inner, why = None, str(e)
    check(ok and tun is not None and inner is not None and tun[2][0:6] == NAR_LLA,
          "a packet for the PCoA arrives IPv6-in-IPv6 at the NCoA side (RFC 2473 5: Traffic "
          "Class copied, Flow Label 0, Hop Limit 64), inner identical but its Hop Limit %s" % why)
    b = t.binding()
    check(b["tunnelled_packets"] == 1 and b["tunnelled_bytes"] == len(d1),
          "per-binding counters: 1 packet, %d octets (%s)" % (len(d1), b))
    # reverse tunnel: from the NCoA to the tunnel source, inner source the PCoA
    inner_up = H.udp_packet(t.pcoa, CN, b"from the mn", hlim=40)
    rt = H.reverse_tunnel(ncoa(0x10), PAR, inner_up)
    captured.append(P.eth(N.GW_MAC[1], E.MN_MAC, rt))
    ok, got, moved = expect_moves(gw, {"tun_decap": 1}, lambda: lk.send(1, rt))
    up = lk.take(lambda ln, ip: ln == 0 and ip == inner_up)
    check(ok and up is not None, "reverse tunnel: decapsulated, the inner packet forwarded")
    check(t.binding()["reverse_packets"] == 1, "per-binding reverse counter")
    for what, pkt in (("outer source not the NCoA", H.reverse_tunnel(ncoa(0x99), PAR, inner_up)),
                      ("inner source not a PCoA", H.reverse_tunnel(
                          ncoa(0x10), PAR, H.udp_packet(A("2003::77"), CN, b"x")))):
        ok, got, moved = expect_moves(gw, {"drop_tun_unmatched": 1, "tun_decap": 0},
                                      lambda: lk.send(1, pkt))
        leak = lk.take(lambda ln, ip: ln == 0 and ip[6] == 17, 0.3)
        check(ok and leak is None, "reverse tunnel, %s: dropped, never forwarded" % what)

    # ---- ICMPv6 errors instead of the tunnel (RFC 2473 7.1, RFC 4443 3.3) ----
    big = t.data(1461 - 48)  # 1461 octets > the tunnel MTU 1460, > 1280
    ok, got, moved = expect_moves(gw, {"tun_too_big": 1, "tun_icmp_tx": 1, "tun_encap": 0},
                                  lambda: lk.send(1, big, src_mac=CN_MAC))
    ptb = lk.take(lambda ln, ip: ln == 1 and ip[6] == 58 and ip[40] == 2)
    check(ok and ptb is not None and ptb[2][0:6] == CN_MAC and
          ptb[2][14 + 8:14 + 24] == PAR and ptb[2][14 + 24:14 + 40] == CN and
          struct.unpack("!I", ptb[2][14 + 44:14 + 48])[0] == 1460 and
          ptb[2][14 + 48:] == big[:1280 - 48],
          "1461-octet packet: Packet Too Big (MTU 1460) from the tunnel source to its source, "
          "quoting it (1280 octets in all)")
    ok, got, moved = expect_moves(gw, {"tun_hop_limit": 1, "tun_icmp_tx": 1},
                                  lambda: lk.send(1, t.data(hlim=1), src_mac=CN_MAC))
    te = lk.take(lambda ln, ip: ln == 1 and ip[6] == 58 and ip[40] == 3 and ip[41] == 0)
    check(ok and te is not None, "Hop Limit 1: Time Exceeded instead of the tunnel")


def scenario_moves(t):
    gw, lk = t.gw, t.l
    # ---- a newer FBU with a NAR-assigned NCoA (HAck 2) moves the tunnel ----
    m, hi = predictive_accept(t, 0x20, "assign", ncoa(0x21), "newer FBU, HAck 2")
    _, fb = t.fback_tunnel(ncoa(0x21))
    check(fb is not None and fb["status"] == 1 and fb["altcoa"] == ncoa(0x21),
          "HAck 2: FBack status 1 with the assigned NCoA in an Alternate CoA, through the "
          "tunnel to it")
    _, fo = t.fback_old()
    check(fo is not None and fo["status"] == 1 and fo["altcoa"] == ncoa(0x21),
          "HAck 2: FBack status 1 on the old link too")
    N.wait_for(lambda: t.binding().get("ncoa") == "2003:0:0:2::21")
    d = t.data()
    lk.send(1, d, src_mac=CN_MAC)
    tun = keep(lk.take(lambda ln, ip: ln == 1 and ip[6] == 41))
    check(tun is not None and tun[2][14 + 24:14 + 40] == ncoa(0x21),
          "the tunnel moved to the NAR-assigned NCoA")

    # ---- HAck 3 (use PCoA): the NAR forwards for the PCoA, the tunnel ends at the NAR ----
    predictive_accept(t, 0x25, "use-pcoa", what="HAck 3")
    _, fb = t.fback_tunnel(NAR)
    check(fb is not None and fb["status"] == 0 and fb["ip"]["dst"] == t.pcoa,
          "HAck 3: FBack 0 to the PCoA through the tunnel to the NAR")
    t.fback_old()
    N.wait_for(lambda: t.binding().get("ncoa") == "2003:0:0:2::1")
    d = t.data()
    lk.send(1, d, src_mac=CN_MAC)
    tun = keep(lk.take(lambda ln, ip: ln == 1 and ip[6] == 41))
    check(tun is not None and tun[2][14 + 24:14 + 40] == NAR and
          t.binding().get("ncoa") == "2003:0:0:2::1",
          "HAck 3: packets for the PCoA are tunnelled to the NAR itself")

    # ---- reactive FBU (from the NAR's link): FBack at once, HI Code 1 ----
    lk.drain(0.05)
    lk.send(1, t.fbu(ncoa(0x30), par_link=False))
    _, fb = t.fback_tunnel(ncoa(0x30))
    hi = t.hi()
    m = hi and H.mh_parse(hi[2][14:])
    check(fb is not None and fb["status"] == 0 and fb["seq"] == t.seq,
          "reactive FBU: FBack status 0 through the tunnel at once (RFC 5568 6.2.3 MAY)")
    check(m is not None and m["code"] == 1 and m["lla"] == (2, E.MN_MAC),
          "reactive FBU: HI Code 1 with the MN's MH-LLA from the FBU")
    check(t.binding().get("state") == "active" and t.binding().get("ncoa") == "2003:0:0:2::30",
          "reactive FBU: the binding is active at once")
    if hi is not None:
        lk.send(1, H.nar_answer(hi[2][14:], "accept"), src_mac=NAR_LLA)

    # ---- reactive FBU without MH-LLA: no HI (it MUST carry the MN's LLA), FBack at once ----
    lk.drain(0.05)
    before = gw.stats()
    t.seq += 1
    pkt, _, _ = P.fbu(t.pcoa, ncoa(0x31), PAR, t.key, t.at, t.seq, False)
    lk.send(1, pkt)
    _, fb = t.fback_tunnel(ncoa(0x31))
    no_hi = lk.take(lambda ln, ip: ln == 1 and N.is_mh(ip, H.MH_HI), 0.3)
    check(fb is not None and fb["status"] == 0 and no_hi is None and
          gw.stats()["hi_sent"] == before["hi_sent"] and
          t.binding().get("ncoa") == "2003:0:0:2::31",
          "reactive FBU without MH-LLA: FBack at once, binding active, no HI")

    # ---- replayed, forged, stale FBUs change nothing ----
    time.sleep(0.2)
    b0, last = t.binding(), t.seq
    replay = t.fbu(ncoa(0x31), par_link=False, seq=last)
    forged = t.fbu(ncoa(0x40), seq=last + 1, forge=True)
    stale = t.fbu(ncoa(0x41), seq=last - 2)
    t.seq = last  # none of them consumed a sequence
    for what, pkt, ctr in (("replayed", replay, "drop_fbu_stale_seq"),
                           ("forged", forged, "drop_fbu_bad_mac"),
                           ("stale", stale, "drop_fbu_stale_seq")):
        ok, got, moved = expect_moves(
            gw, {ctr: 1}, lambda: lk.send(0, pkt),
            ["fbu_events", "fback_sent_0", "fback_sent_128", "hi_sent", "tun_encap"])
        check(ok, "%s FBU: %s +1, no event, FBack or HI (%s %s)" % (what, ctr, got, moved))
    b1 = t.binding()
    check({k: b1[k] for k in ("ncoa", "seq", "state")} ==
          {k: b0[k] for k in ("ncoa", "seq", "state")} and
          gw.tel_cmd("/fmipgw/bindings")["added"] == 1,
          "the binding is as it was (%s)" % b1)


def scenario_refusals(t):
    gw, lk = t.gw, t.l
    # ---- HAck 128: the pending binding goes, FBack 128 ----
    predictive_accept(t, 0x50, "refuse", what="HAck 128")
    _, fo = t.fback_old()
    check(fo is not None and fo["status"] == 128,
          "HAck 128: FBack 128 on the old link, BADF verified")
    check(N.wait_for(lambda: t.binding().get("state") == "absent"),
          "HAck 128: the binding is removed")
    d = t.data()
    lk.send(1, d, src_mac=CN_MAC)
    check(lk.take(lambda ln, ip: ln == 0 and ip == d) is not None,
          "no binding any more: the packet for the PCoA is forwarded as it is")
    check(gw.tel_cmd("/fmipgw/keys")["live"] >= 1, "the key stays (the MN may try again)")

    # ---- the NAR never answers: retransmissions with back-off, then timeout ----
    lk.drain(0.05)
    before = gw.stats()
    lk.send(0, t.fbu(ncoa(0x60)))
    his = [keep(h) for h in lk.gather(2.2, lambda ln, ip: ln == 1 and N.is_mh(ip, H.MH_HI))]
    seqs = {H.mh_parse(h[2][14:])["seq"] for h in his}
    gaps = [round(b[0] - a[0], 3) for a, b in zip(his, his[1:])]
    check(len(his) == 4 and len(seqs) == 1 and len(gaps) == 3 and
          all(g >= w * 0.8 for g, w in zip(gaps, (0.1, 0.2, 0.4))) and gaps[0] < gaps[2],
          "silent NAR: the HI and 3 retransmissions, same sequence, back-off %s s" % gaps)
    _, fo = t.fback_old(1.0)
    now = gw.stats()
    check(fo is not None and fo["status"] == 128 and
          now["hi_retransmitted"] - before["hi_retransmitted"] == 3 and
          now["hi_timed_out"] - before["hi_timed_out"] == 1,
          "HI timeout: hi_retransmitted +3, hi_timed_out +1, FBack 128 on the old link")
    check(t.binding().get("state") == "absent", "HI timeout: no binding")

    # ---- FBack statuses fmipgw decides itself ----
    for what, addr, status, ctr in (
            ("NCoA in no NAR prefix", A("2003:0:0:9::1"), 128, "fbu_ncoa_refused"),
            ("NCoA of a no-fmip access point", A("2003:0:0:3::1"), 129, "fbu_admin_refused")):
        before = gw.stats()
        lk.send(0, t.fbu(addr))
        _, fo = t.fback_old()
        now = gw.stats()
        check(fo is not None and fo["status"] == status and now[ctr] - before[ctr] == 1 and
              now["hi_sent"] == before["hi_sent"] and t.binding()["state"] == "absent",
              "%s: FBack %d, %s +1, no HI, no binding" % (what, status, ctr))


def scenario_nar_role(t):
    gw, lk = t.gw, t.l
    lla = bytes.fromhex("020000000077")
    for what, src, kw, code, echo in (
            ("NCoA on this link, S set", NAR, dict(code=0, flags=H.HI_S, mn_lla=lla,
                                                   ncoa=A("2003::55")), 0, True),
            ("NCoA elsewhere", NAR, dict(code=0, mn_lla=lla, ncoa=A("2003:0:0:7::5")), 1,
             False),
            ("Code 1", NAR, dict(code=1, mn_lla=lla), 0, False),
            ("no MN link-layer address", NAR, dict(code=0, ncoa=A("2003::55")), 128, False),
            ("not a neighbour", A("2003:0:0:8::1"), dict(code=0, mn_lla=lla), 129, False)):
        hi = H.hi(src, PAR, 0x4242, **kw)
        captured.append(P.eth(N.GW_MAC[1], NAR_LLA, hi))
        lk.send(1, hi, src_mac=NAR_LLA)
        got = keep(lk.take(lambda ln, ip: ln == 1 and N.is_mh(ip, H.MH_HACK)))
        m = got and H.mh_parse(got[2][14:])
        check(m is not None and m["code"] == code and m["seq"] == 0x4242 and m["csum_ok"] and
              (m["ip"]["src"], m["ip"]["dst"]) == (PAR, src) and got[2][0:6] == NAR_LLA and
              (H.IPA_NCOA in m["ipaddr"]) == echo,
              "NAR role, %s: HAck code %d back to the HI's source" % (what, code))
    ok, got, moved = expect_moves(gw, {"hack_rx_refused": 1},
                                  lambda: lk.send(1, H.hack(A("2003:0:0:8::1"), PAR, 1, 0)))
    check(ok, "a HAck from a non-neighbour is refused (neighbours_only)")


def scenario_end(t, reprovision):
    gw, lk = t.gw, t.l
    # ---- Lifetime 0: the binding is torn down and the key released (A13) ----
    predictive_accept(t, 0x70, what="FBU before the teardown")
    t.fback_tunnel(ncoa(0x70))
    t.fback_old()
    before = gw.stats()
    lk.send(0, t.fbu(ncoa(0x70), lifetime=0))
    _, fo = t.fback_old()
    now = gw.stats()
    check(fo is not None and fo["status"] == 0 and fo["lifetime"] == 0 and
          now["fbu_teardown"] - before["fbu_teardown"] == 1 and
          t.binding()["state"] == "absent",
          "Lifetime 0: FBack 0, binding removed (RFC 5568 5.6)")
    check(now["keys_released"] - before["keys_released"] == 1 and
          gw.tel_cmd("/fmipgw/key," + socket.inet_ntop(socket.AF_INET6, t.pcoa))["state"] ==
          "absent", "Lifetime 0: the key is deleted with the forwarding it set up (A13)")
    # ---- expiry ----
    t.key, t.seq = reprovision(), 0
    gw.p.send_signal(1)  # SIGHUP: reload hi = false for the rest (a reloadable key)
    time.sleep(0.5)
    lk.drain(0.05)
    lk.send(0, t.fbu(ncoa(0x80), lifetime=2))
    _, fb = t.fback_tunnel(ncoa(0x80))
    check(fb is not None and fb["lifetime"] == 2 and t.binding()["state"] == "active",
          "[handover] hi = false (reloaded): FBack at once, binding active, lifetime 2 s")
    before, n0 = gw.stats(), gw.tel_cmd("/fmipgw/bindings")
    gone = N.wait_for(lambda: t.binding()["state"] == "absent", 4.0)
    now, n1 = gw.stats(), gw.tel_cmd("/fmipgw/bindings")
    check(gone and now["bindings_expired"] - before["bindings_expired"] == 1 and
          n1["count"] == n0["count"] - 1 and n1["expired"] == n0["expired"] + 1 and
          now["keys_released"] - before["keys_released"] == 1,
          "expiry: the sweep removed the binding and released its key (bindings_expired +1, "
          "count %d -> %d, keys_released +1)" % (n0["count"], n1["count"]))


def run(gw, lk, cred, conf, keys):
    router_pub = x509.load_pem_x509_certificate(
        open(cred + "/router.cert.pem", "rb").read()).public_key()
    router_ll = A(open(cred + "/router.cga").read().strip())
    mn1, mn2 = (P.load_key(os.path.join(keys, n)) for n in ("mn1.key.pem", "mn2.key.pem"))
    p1 = open(os.path.join(keys, "mn1.cga.params"), "rb").read()
    p2 = open(os.path.join(keys, "mn2.cga.params"), "rb").read()
    cga1, cga2 = P.cga_address(p1, 1), P.cga_address(p2, 1)
    lk.drain(0.3)
    prov1 = provision_fn(lk, gw, cga1, p1, mn1, mn2, 0, router_pub, router_ll)
    k1 = prov1()
    check(k1 is not None and len(k1) == 20, "AT 0 key provisioned")
    if k1 is None:
        return []
    t = T(gw, lk, cga1, k1, 0)
    scenario_tunnel(t)
    scenario_moves(t)
    scenario_refusals(t)
    scenario_nar_role(t)
    k2 = provision_fn(lk, gw, cga2, p2, mn2, mn1, 1, router_pub, router_ll)()
    if k2 is not None:
        t2 = T(gw, lk, cga2, k2, 1)
        predictive_accept(t2, 0x90, what="AT 1 FBU")
        _, fb = t2.fback_tunnel(ncoa(0x90))
        check(fb is not None and len(fb["auth"]) == 16,
              "AT 1: FBack with a 16-octet authenticator verified with the AT 1 key")
        t2.fback_old()  # the accept's copy on the old link
        # [binding] capacity = 1, taken by mn2: mn1's FBU gets 130 (insufficient resources)
        before = gw.stats()
        lk.send(0, t.fbu(ncoa(0x91)))
        _, fo = t.fback_old()
        now = gw.stats()
        check(fo is not None and fo["status"] == 130 and
              now["fbu_table_full"] - before["fbu_table_full"] == 1 and
              now["hi_sent"] == before["hi_sent"] and t.binding()["state"] == "absent" and
              gw.tel_cmd("/fmipgw/bindings")["full"] == 1,
              "binding table full ([binding] capacity 1): FBack 130, no HI, no binding")
        lk.send(0, t2.fbu(ncoa(0x90), lifetime=0))
        _, fo = t2.fback_old()
        check(fo is not None and fo["lifetime"] == 0 and t2.binding()["state"] == "absent",
              "AT 1: Lifetime 0 FBack verified, binding removed")
    with open(conf) as f:  # for scenario_end's SIGHUP: a reloadable key
        text = f.read().replace("hi_retries = 3", "hi_retries = 3\nhi = false")
    open(conf, "w").write(text)
    scenario_end(t, prov1)
    secrets = [k for k in (k1, k2, t.key) if k]
    for cmd in ("/fmipgw/binding," + socket.inet_ntop(socket.AF_INET6, cga2),
                "/fmipgw/bindings", "/fmipgw/stats"):
        text = json.dumps(gw.tel_cmd(cmd)).lower()
        check(not any(k.hex()[:24] in text for k in secrets), "%s carries no key" % cmd)
    return secrets


def main():
    gw_bin, fmipctl, mkcred, vectors = sys.argv[1:5]
    tag = "%d" % os.getpid()
    prefix, ns = "fmipgw_ho_" + tag, "fmipgw_ho_" + tag
    names = ("fhoa" + tag[-6:], "fhob" + tag[-6:])
    with R.Run("ho") as r:
        cred = r.credentials(mkcred, fmipctl)
        conf = r.write("gw.conf", CONFIG.format(d=cred))
        gw = N.gw2(r, gw_bin, conf, prefix, names)
        r.netns(ns)
        lk = N.into_netns(names, ns)
        secrets = run(gw, lk, cred, conf, os.path.join(vectors, "keys"))
        tshark_all(r.tmp)
        rc = N.stop(gw)
        check(rc == 0, "SIGTERM: exit status 0 (got %s)" % rc)
        log = gw.out.decode(errors="replace").lower()
        check(not any(k.hex()[:24] in log for k in secrets), "no key in the gateway's output")
    return R.verdict(gw)


if __name__ == "__main__":
    sys.exit(main())
