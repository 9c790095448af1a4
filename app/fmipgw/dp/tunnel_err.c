/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw tunnel stage's ICMPv6 errors (RFC 2473 7.1 (a) Packet Too Big, RFC 4443 3.3 Time
 * Exceeded) on the worker, without allocation: the error is built by lib/wire in the worker's
 * scratch (wire_build_icmp6_error quotes the offending packet, which must not overlap the
 * output), then written over the offending mbuf — dropped anyway — which leaves by the port
 * it came in, to the frame's Ethernet source (the previous hop; before routing exists the
 * reverse path is the only one known).  RFC 4443 2.4 (e) (wire_icmp6_error_allowed) and
 * (f) (the worker's wire_ratelim, [tunnel] icmp_error_rate/burst) decide first.
 */
#include <string.h>

#include "dp.h"

size_t dp_frame_write(uint8_t *buf, size_t room, const uint8_t dst[6], const uint8_t src[6],
		      int vlan, const uint8_t *pkt, size_t len)
{
	struct wire_buf w = wire_buf_make(buf, room);

	wire_build_eth(&w, dst, src, vlan, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, pkt, len);
	return w.err == WIRE_OK ? w.len : 0;
}

void dp_tunnel_icmp_error(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
			  const uint8_t src[16], uint8_t type, uint8_t code, uint32_t param,
			  uint64_t tsc)
{
	const struct gw *gw = w->gw;
	struct dp_tunnel_burst *b = &w->tun;
	unsigned in = gw_port_index(gw, m->port);
	struct wire_buf eb = wire_buf_make(b->err, sizeof(b->err));
	uint8_t dmac[6];
	int vlan = f->eth.has_vlan ? (int)f->eth.vlan_tci : -1;
	size_t n;

	if (!wire_icmp6_error_allowed(f->ip.hdr, f->ip.len, type, code, param,
				      (f->eth.dst[0] & 1) != 0)) {
		w->cnt.drop_tun_icmp_refused++;
		rte_pktmbuf_free(m);
		return;
	}
	if (!wire_ratelim_take(&b->icmp_rl, tsc)) {
		w->cnt.drop_tun_icmp_limited++;
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(dmac, f->eth.src, 6); /* the frame is overwritten below */
	if (!RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1 || m->nb_segs != 1 ||
	    wire_build_icmp6_error(&eb, src, type, code, param, f->ip.hdr, f->ip.len, 0) !=
		WIRE_OK) {
		w->cnt.drop_tun_unusable++;
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_reset_headroom(m);
	n = dp_frame_write(rte_pktmbuf_mtod(m, uint8_t *), (size_t)(m->buf_len - m->data_off), dmac,
			   gw->ports[in].p.mac.addr_bytes, vlan, b->err, eb.len);
	if (n == 0) {
		w->cnt.drop_tun_unusable++;
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = (uint16_t)n;
	m->pkt_len = (uint32_t)n;
	w->cnt.tun_icmp_tx++;
	dp_tx_queue(w, in, m);
}
