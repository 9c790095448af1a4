/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw software distribution ([lcores] distribute): a port with fewer RX queues than workers
 * (many vdevs; NICs without RSS on the IPv6 addresses) is polled by the workers that have a
 * queue on it, and each packet goes to the worker its IPv6 source and destination hash to
 * (rte_hash_crc over the 32 octets), through that worker's MP/SC dist_ring; the others take
 * their share from it in their loop.  One MN's packets from one link therefore land on one
 * worker, as RSS would do it; the A14 sequence stays correct across workers anyway (the key
 * record's compare-and-swap, dp/fbu.h).  Cost: one hash and one ring enqueue/dequeue per
 * packet that changes worker (docs/performance.md measures it).
 */
#include <rte_hash_crc.h>

#include "dp.h"

unsigned dp_dist_target(const struct gw_worker *w, const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	unsigned l2 = WIRE_ETH_HLEN;
	uint16_t et;

	if (m->data_len < WIRE_ETH_HLEN_VLAN + 40)
		return w->idx;
	et = wire_be16(p + 12);
	if (et == WIRE_ETH_P_8021Q) {
		et = wire_be16(p + 16);
		l2 = WIRE_ETH_HLEN_VLAN;
	}
	if (et != WIRE_ETH_P_IPV6)
		return w->idx; /* ARP and the like: where they came in */
	return rte_hash_crc(p + l2 + 8, 32, 0) % w->gw->n_workers;
}

uint16_t dp_dist_spread(struct gw_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	const struct gw *gw = w->gw;
	uint16_t keep = 0;

	for (uint16_t i = 0; i < n; i++) {
		unsigned t = dp_dist_target(w, pkts[i]);

		if (t == w->idx) {
			pkts[keep++] = pkts[i];
		} else if (rte_ring_mp_enqueue(gw->workers[t]->dist_ring, pkts[i]) == 0) {
			w->cnt.dist_tx++;
		} else {
			w->cnt.drop_dist_full++;
			rte_pktmbuf_free(pkts[i]);
		}
	}
	return keep;
}
