/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn offline mode: one shard on a virtual clock (a millisecond per turn), the in-process
 * router answering its solicitations (offline.provisioning), and every other frame written to
 * a pcap with libpcap (pcap_dump), timestamps spaced at offline.pps.  The keys the FBUs were
 * made with go to the key-export file (mode 0600).  The report counts what the pcap holds.
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "loopar.h"
#include "run.h"

struct off_sink {
	struct mn_shard *sh;
	struct mn_loopar *ar;
	pcap_dumper_t *d;
	uint64_t wall0_ns, t_ns, step_ns;
	const struct mn_now *now;
	unsigned prov; /* enum mn_offline_prov */
};

static unsigned off_room(void *ctx)
{
	(void)ctx;
	return 1u << 20;
}

static bool provisioning_kind(unsigned kind)
{
	return kind == MN_TX_rtsolpr || kind == MN_TX_rtsolpr_retry ||
	       kind == MN_TX_rtsolpr_refresh || kind == MN_TX_cps;
}

static void off_emit(void *ctx, unsigned kind, unsigned err, const uint8_t *frame, size_t len)
{
	struct off_sink *o = ctx;
	struct mn_stats *st = &o->sh->st;
	struct pcap_pkthdr h;
	uint64_t t = o->wall0_ns + o->t_ns;

	if (provisioning_kind(kind)) {
		if (o->prov != MN_OFF_PCAP)
			mn_loopar_input(o->ar, frame, len, o->now->wall48);
		if (o->prov == MN_OFF_INPROC)
			return; /* answered in process, not written */
	}
	h.ts.tv_sec = (time_t)(t / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(t % 1000000000u / 1000);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)o->d, &h, frame);
	o->t_ns += o->step_ns;
	st->tx[kind]++;
	if (kind == MN_TX_malformed)
		st->tx_malformed[err]++;
	st->tx_frames++;
	st->tx_bytes += len;
}

static pcap_dumper_t *dump_open(const char *path, char *err, size_t len)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = p ? pcap_dump_open(p, path) : NULL;

	if (d == NULL)
		snprintf(err, len, "%s: %s", path, p ? pcap_geterr(p) : "libpcap");
	if (p)
		pcap_close(p);
	return d;
}

static void run_turns(struct mn_shard *sh, struct mn_loopar *ar, struct mn_now *now,
		      uint64_t wall0_48)
{
	uint8_t frame[MN_FRAME_MAX];
	uint64_t limit = (uint64_t)86400 * 1000; /* a virtual day of turns at most */
	size_t n;

	for (uint64_t turn = 0; turn < limit; turn++) {
		mn_shard_tick(sh, now);
		while ((n = mn_loopar_pop(ar, frame, sizeof(frame))) > 0)
			mn_shard_rx(sh, frame, n, now);
		if (sh->finished)
			break;
		now->ns += 1000000; /* a millisecond per turn */
		now->wall48 = wall0_48 + (now->ns << 16) / 1000000000u;
	}
}

int mn_offline_run(struct mn_world *w, const struct mn_opts *o, struct mn_stats *st, double *secs,
		   char *err, size_t len)
{
	static struct mn_loopar ar;
	static struct mn_shard sh;
	struct off_sink os = { 0 };
	struct mn_sink sink = { &os, off_room, off_emit };
	struct mn_now now, real0, real1;
	char keys[600];
	int rc = -1, nk;

	mn_now_get(&real0);
	now.ns = 0;
	now.wall48 = real0.wall48;
	os.wall0_ns = (real0.wall48 >> 16) * 1000000000u;
	os.step_ns = 1000000000u / w->scen.pps;
	os.now = &now;
	os.prov = w->scen.offline_prov;
	if (mn_loopar_init(&ar, w, (uint16_t)w->scen.hk_lifetime, err, len) < 0)
		goto out;
	if ((os.d = dump_open(o->offline, err, len)) == NULL)
		goto out;
	if (mn_shard_init(&sh, w, 0, &sink, w->cn_mac, &now) < 0 ||
	    mn_path_seed(&sh, mn_loopar_addr(&ar), ar.cert) < 0) {
		snprintf(err, len, "cannot set up the offline shard");
		goto out;
	}
	os.sh = &sh;
	os.ar = &ar;
	run_turns(&sh, &ar, &now, real0.wall48);
	pcap_dump_close(os.d);
	os.d = NULL;
	mn_stats_add(st, &sh.st);
	if (os.prov != MN_OFF_PCAP) {
		snprintf(keys, sizeof(keys), "%s", o->keys ? o->keys : "");
		if (keys[0] == '\0')
			snprintf(keys, sizeof(keys), "%s.keys", o->offline);
		nk = mn_loopar_export(&ar, keys, now.wall48, err, len);
		if (nk < 0)
			goto out;
		fprintf(stderr, "fmip-mn: %d handover keys written to %s (mode 0600)\n", nk, keys);
	}
	rc = 0;
out:
	if (os.d)
		pcap_dump_close(os.d);
	mn_shard_free(&sh);
	mn_loopar_free(&ar);
	mn_now_get(&real1);
	*secs = (double)(real1.ns - real0.ns) / 1e9;
	return rc;
}
