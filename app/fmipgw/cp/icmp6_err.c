/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw ICMPv6 errors (RFC 4443) on the control lcore: the routing stage decided that an
 * error may be sent (2.4 (e)) and took a token of its worker's bucket (2.4 (f)), then handed
 * the invoking packet over as GW_EV_ERR_HLIM (Time Exceeded, code 0: Hop Limit exceeded in
 * transit, 3.3) or GW_EV_ERR_NOROUTE (Destination Unreachable, code 0: no route to
 * destination, 3.1).  The error is built by lib/wire (as much of the invoking packet as fits
 * in 1280 octets, 2.4 (c)) from the router's address for the input port (gw_fwd.err_src: a
 * `local` /128 inside one of the port's `connected` prefixes, else the first global `local`
 * /128, else the router address) and sent back to the previous hop — the invoking frame's
 * link-layer source, out of the port it came in, with its 802.1Q tag — without a route lookup
 * or neighbour resolution of its own.
 */
#include "cp.h"
#include "fwd.h"

static void send_error(struct gw_ctrl *c, struct rte_mbuf *m, uint8_t type)
{
	struct gw *gw = c->gw;
	const uint8_t *eth = rte_pktmbuf_mtod(m, const uint8_t *);
	int vlan = eth[12] == 0x81 && eth[13] == 0x00 ? (eth[14] << 8) | eth[15] : -1;
	uint8_t pkt[WIRE_IPV6_MIN_MTU];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	unsigned len, port = gw_port_index(gw, m->port);
	const uint8_t *ip = fwd_ip6(m, &len);

	if (gw->fwd == NULL ||
	    wire_build_icmp6_error(&w, gw->fwd->err_src[port], type, 0, 0, ip, len, 0) != WIRE_OK)
		return;
	if (cp_tx(c, m->port, eth + 6, vlan, pkt, w.len) == 0)
		c->cnt.icmp6_err_sent++;
}

void cp_on_err_hlim(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	(void)rx_tsc;
	send_error(c, m, WIRE_ICMP6_TIME_EXCEEDED);
}

void cp_on_err_noroute(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	(void)rx_tsc;
	send_error(c, m, WIRE_ICMP6_DST_UNREACH);
}
