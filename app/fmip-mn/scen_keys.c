/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn scenario keys: the one table {section, key, type, default, help, field} and what it
 * generates (defaults, --help-scenario, --scenario-md, the report's echo of the scenario).
 * Counts under [attack] are per node unless the help says "total".
 */
#include <arpa/inet.h>
#include <string.h>

#include "scen_int.h"

static const char *const path_names[] = { "shared", "node", NULL };
static const char *const prov_names[] = { "inproc", "pcap", "both", NULL };

#define F(f)	     offsetof(struct mn_scen, f), sizeof(((struct mn_scen *)0)->f)
#define U(f, lo, hi) F(f), lo, hi, NULL

const struct scen_key scen_keys[] = {
	{ "run", "nodes", S_UINT, "16", "mobile nodes simulated", U(nodes, 1, 1000000) },
	{ "run", "seed", S_UINT, "1", "seed of the mixes (link, AT, order); identities are random",
	  U(seed, 0, UINT32_MAX) },
	{ "run", "duration", S_UINT, "0",
	  "seconds the run lasts (nodes that finished keep their keys fresh); 0: until every "
	  "node finished its plan, then drain_ms",
	  U(duration_s, 0, 86400 * 7) },
	{ "run", "drain_ms", S_UINT, "500",
	  "after the last step, wait this long for late answers before the report",
	  U(drain_ms, 0, 600000) },
	{ "run", "progress", S_UINT, "1", "seconds between progress lines on stderr (0: none)",
	  U(progress_s, 0, 3600) },

	{ "identity", "bits", S_UINT, "1024",
	  "RSA modulus of the CGA keys (the handover-key encryption keys have the same, RFC 5269 "
	  "3.1)",
	  U(bits, 1024, 4096) },
	{ "identity", "sec", S_UINT, "0",
	  "CGA Sec (RFC 3972): 0 for load tests, 1 costs about 2^16 hashes per identity",
	  U(sec, 0, 1) },
	{ "identity", "cache", S_STR, "",
	  "directory of generated identities, reused by later runs (0700; keys 0600); empty: none",
	  F(cache), 0, 0, NULL },
	{ "identity", "prefix", S_PREFIX, "2003::/64", "the access link's prefix (the PCoAs; /64)",
	  F(prefix), 0, 0, NULL },

	{ "gateway", "trust_anchor", S_STR, "",
	  "PEM trust anchor of the router's certification path (live mode: required)",
	  F(trust_anchor), 0, 0, NULL },
	{ "gateway", "par", S_IP6, "2003::1", "the PAR address FBUs go to (A12)", F(par), 0, 0,
	  NULL },
	{ "gateway", "nar_prefix", S_PREFIX, "2003:0:0:2::/64",
	  "prefix of the NCoAs (the NAR's link; /64): NCoA = prefix + the CGA's interface id",
	  F(nar_prefix), 0, 0, NULL },
	{ "gateway", "tunnel_src", S_IP6_OPT, "",
	  "outer source expected on tunnelled packets (RFC 2473); empty: par", F(tunnel_src), 0, 0,
	  NULL },
	{ "gateway", "gw_mac", S_MAC_OPT, "",
	  "the gateway's MAC for unicast frames; empty: learnt from its first PrRtAdv or CPA "
	  "(offline: 02:00:00:00:00:02)",
	  F(gw_mac), 0, 0, NULL },
	{ "gateway", "mn_mac", S_MAC, "02:00:00:01:00:00",
	  "MAC of node 0; node i uses this plus i (the correspondent uses the port's own)",
	  F(mn_mac), 0, 0, NULL },
	{ "gateway", "cn", S_IP6, "2001:db8::1",
	  "the correspondent node: source of data to the PCoAs, destination of reverse traffic",
	  F(cn), 0, 0, NULL },
	{ "gateway", "new_ap", S_MAC_OPT, "02:00:00:00:0a:01",
	  "New-AP LLA in every RtSolPr; empty: the wildcard (RFC 5568 6.4.3)", F(new_ap), 0, 0,
	  NULL },

	{ "provision", "rate", S_UINT, "200", "RtSolPr per second (retries and refreshes included)",
	  U(prov_rate, 1, 10000000) },
	{ "provision", "at1_percent", S_UINT, "0",
	  "share of nodes asking for AT 1 (HMAC-SHA256-128, A1); the others ask for AT 0",
	  U(at1_percent, 0, 100) },
	{ "provision", "timeout_ms", S_UINT, "1000",
	  "first retransmission timeout, doubled each retry (RFC 5568 6.1.1)",
	  U(prov_timeout_ms, 10, 600000) },
	{ "provision", "retries", S_UINT, "3", "retransmissions (RTSOLPR_RETRIES)",
	  U(prov_retries, 0, 100) },
	{ "provision", "refresh_margin", S_UINT, "60",
	  "re-provision this many seconds before HK-LIFETIME runs out",
	  U(refresh_margin, 0, 43200) },
	{ "provision", "refresh_min_ms", S_UINT, "1000",
	  "at most one re-provisioning solicitation per node this often",
	  U(refresh_min_ms, 100, 3600000) },
	{ "provision", "repeat", S_UINT, "0",
	  "RtSolPr each node sends again after its key, refresh_min_ms apart (answered with the "
	  "existing key: provisioning load)",
	  U(prov_repeat, 0, 10000) },
	{ "provision", "path_cache", S_ENUM, "shared",
	  "router certification path (CPS/CPA): shared (one per lcore) or node (every node)",
	  F(path_cache), 0, 0, path_names },
	{ "provision", "hkepk_lifetime", S_UINT, "43200", "HKEPK-LIFETIME seconds (RFC 5269 3.7)",
	  U(hkepk_lifetime, 1, 86400 * 30) },
	{ "provision", "hkepk_handovers", S_UINT, "10", "HKEPK-HANDOVERS (RFC 5269 3.7)",
	  U(hkepk_handovers, 1, 1000000) },

	{ "handover", "count", S_UINT, "1", "handovers per node (one FBU each)",
	  U(ho_count, 0, 100000) },
	{ "handover", "interval_ms", S_UINT, "200", "time between a node's handovers",
	  U(ho_interval_ms, 0, 3600000) },
	{ "handover", "rate", S_UINT, "1000", "FBUs per second (all kinds of valid FBU)",
	  U(ho_rate, 1, 100000000) },
	{ "handover", "nar_percent", S_UINT, "50",
	  "share of handovers whose FBU is sent from the NAR's link (reactive)",
	  U(nar_percent, 0, 100) },
	{ "handover", "lifetime", S_UINT, "10", "FBU Lifetime field (A4)",
	  U(ho_lifetime, 1, 65535) },
	{ "handover", "fback_timeout_ms", S_UINT, "0",
	  "wait this long for the FBack before going on (counted as a timeout); 0: do not wait "
	  "(FBacks that come are still checked)",
	  U(fback_timeout_ms, 0, 600000) },
	{ "handover", "return", S_BOOL, "true",
	  "after the last handover, back at the PAR: an FBU with lifetime 0 from the PAR's link "
	  "(RFC 5568 5.6)",
	  F(ho_return), 0, 0, NULL },
	{ "handover", "mn_lla", S_BOOL, "true",
	  "FBUs carry the node's MAC in a Mobility Header Link-Layer Address option (code 2)",
	  F(ho_mn_lla), 0, 0, NULL },

	{ "data", "per_handover", S_UINT, "0",
	  "UDP packets from the correspondent to the PCoA after each handover",
	  U(data_per_ho, 0, 1000000) },
	{ "data", "reverse_per_handover", S_UINT, "0",
	  "reverse-tunnelled UDP packets from the NCoA (IPv6-in-IPv6 to the PAR) after each "
	  "handover",
	  U(reverse_per_ho, 0, 1000000) },
	{ "data", "size", S_UINT, "64", "UDP payload octets", U(data_size, 16, 1400) },
	{ "data", "rate", S_UINT, "1000", "data packets per second", U(data_rate, 1, 100000000) },

	{ "attack", "forged_fbu", S_UINT, "0", "FBUs with a wrong authenticator (per node)",
	  U(forged_fbu, 0, 1000000) },
	{ "attack", "replayed_fbu", S_UINT, "0",
	  "copies of the node's last valid FBU (needs a handover before)",
	  U(replayed_fbu, 0, 1000000) },
	{ "attack", "unknown_fbu", S_UINT, "0", "FBUs for a random PCoA that has no key",
	  U(unknown_fbu, 0, 1000000) },
	{ "attack", "badsig_rtsolpr", S_UINT, "0",
	  "RtSolPr from the node's CGA with a broken signature", U(badsig_rtsolpr, 0, 1000000) },
	{ "attack", "replayed_rtsolpr", S_UINT, "0", "copies of the node's last RtSolPr",
	  U(replayed_rtsolpr, 0, 1000000) },
	{ "attack", "malformed", S_UINT, "0",
	  "malformed frames, one lib/wire error each, cycling through the kinds",
	  U(malformed, 0, 1000000) },
	{ "attack", "flood_rtsolpr", S_UINT, "0",
	  "total: RtSolPr flood with bad signatures from one attacker CGA",
	  U(flood_rtsolpr, 0, 100000000) },
	{ "attack", "flood_rate", S_UINT, "100", "flood RtSolPr per second",
	  U(flood_rate, 1, 100000000) },
	{ "attack", "rate", S_UINT, "100", "per-node attack packets per second (all nodes)",
	  U(attack_rate, 1, 100000000) },

	{ "offline", "pps", S_UINT, "10000", "packets per second the pcap timestamps are spaced at",
	  U(pps, 1, 100000000) },
	{ "offline", "provisioning", S_ENUM, "inproc",
	  "RtSolPr in offline mode: inproc (answered by an in-process router, not written; the "
	  "keys go to the key-export file), pcap (written, for a live gateway to serve; no FBUs "
	  "then), both",
	  F(offline_prov), 0, 0, prov_names },
	{ "offline", "hk_lifetime", S_UINT, "43200",
	  "HK-LIFETIME of the keys made in process and written to the key-export file",
	  U(hk_lifetime, 1, 65535) },
};
const unsigned scen_nkeys = sizeof(scen_keys) / sizeof(scen_keys[0]);

const struct scen_key *scen_key_find(const char *section, const char *key)
{
	for (unsigned i = 0; i < scen_nkeys; i++)
		if (strcmp(scen_keys[i].section, section) == 0 &&
		    strcmp(scen_keys[i].key, key) == 0)
			return &scen_keys[i];
	return NULL;
}

void scen_defaults(struct mn_scen *s)
{
	char e[128];

	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < scen_nkeys; i++)
		if (scen_parse_value(&scen_keys[i], scen_keys[i].def, s, e, sizeof(e)) < 0)
			fprintf(stderr, "fmip-mn: internal: default of %s.%s: %s\n",
				scen_keys[i].section, scen_keys[i].key, e);
}

void scen_print_help(FILE *f)
{
	const char *sec = "";

	fprintf(f, "; fmip-mn scenario keys (INI, rte_cfgfile); every key is optional\n");
	for (unsigned i = 0; i < scen_nkeys; i++) {
		const struct scen_key *k = &scen_keys[i];

		if (strcmp(sec, k->section) != 0)
			fprintf(f, "\n[%s]\n", sec = k->section);
		fprintf(f, "; %s\n%s = %s\n", k->help, k->key, k->def);
	}
}

void scen_print_md(FILE *f)
{
	fprintf(f, "| key | default | meaning |\n|---|---|---|\n");
	for (unsigned i = 0; i < scen_nkeys; i++) {
		const struct scen_key *k = &scen_keys[i];

		fprintf(f, "| `[%s] %s` | `%s` | %s |\n", k->section, k->key, k->def, k->help);
	}
}

void scen_foreach(const struct mn_scen *s, scen_kv_fn fn, void *ctx)
{
	char v[MN_PATH_MAX + 8];

	for (unsigned i = 0; i < scen_nkeys; i++) {
		scen_format_value(&scen_keys[i], s, v, sizeof(v));
		fn(ctx, scen_keys[i].section, scen_keys[i].key, v);
	}
}
