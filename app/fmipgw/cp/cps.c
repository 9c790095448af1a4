/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw CPS -> CPA (RFC 3971 6.4; lib/send's server side), on the control lcore. */
#include <string.h>

#include <rte_cycles.h>

#include "cp.h"

/* The Ethernet multicast address of an IPv6 multicast group (RFC 2464 7). */
static void multicast_mac(const uint8_t ip6[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, ip6 + 12, 4);
}

void cp_on_cps(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct cp_work *wk = &c->work;
	struct wire_frame *f = &wk->frame;
	struct send_cpa_out *o = &wk->cpa_out;
	uint64_t t0;
	int rc;

	(void)rx_tsc;
	c->cnt.cps_rx++;
	if (wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
			      f) != WIRE_OK)
		return;
	t0 = rte_rdtsc();
	rc = send_cpa_answer(&wk->cpa, f->ip.src, f->icmp.p, f->icmp.len, send_time_now(), o);
	c->cnt.cps_cycles += rte_rdtsc() - t0;
	if (rc != SEND_R_OK || o->n == 0) {
		char a[64];

		c->cnt.cps_refused++;
		GW_LOG(ctrl, DEBUG, "CPS from %s: no answer (%s)\n", cp_addr(f->ip.src, a),
		       send_reason_name(rc));
		return;
	}
	for (unsigned i = 0; i < o->n; i++) {
		uint8_t dmac[6];

		if (o->dst[0] == 0xff)
			multicast_mac(o->dst, dmac);
		else
			memcpy(dmac, f->eth.src, 6);
		if (cp_tx(c, m->port, dmac, f->eth.has_vlan ? (int)f->eth.vlan_tci : -1, o->pkt[i],
			  o->len[i]) == 0)
			c->cnt.cpa_tx++;
	}
}
