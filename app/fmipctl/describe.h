/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe — turn one captured frame into one line of fmipctl output (text or JSON).
 *
 * Depends on lib/wire and libc only (no libpcap, no DPDK, no OpenSSL), so that the libFuzzer
 * target (tests/fuzz) links it and drives every wire decoder through it.  All bytes of the
 * frame are read through lib/wire decoders, iterators and cursors.
 *
 * Use:
 *     struct fmipctl_frame f = { .no = n, .data = p, .len = caplen, .orig_len = len,
 *                                .link = DESCRIBE_LINK_ETH };
 *     describe_decode(&f);                       // L2 prefix + wire_decode_frame()
 *     describe_frame(&w, &f, annotators, n_annotators);
 *
 * Annotation hook (for `fmipctl decode --verify`, `--hk ADDR=HEXKEY[:AT]`, ...)
 * -------------------------------------------------------------------------------
 * describe_frame() writes the frame object's standard fields, then calls each annotator in
 * array order, *inside* the still-open frame object, and then closes the object.  An annotator
 * adds its own key(s) — by convention one key named after it, e.g.
 *
 *     jw_key(w, "send"); jw_obj_begin(w); jw_kv_str(w, "verdict", "ok"); jw_obj_end(w);
 *
 * and never a key describe_frame() writes itself (docs/fmipctl.md lists them: frame, msg,
 * error, time, len, wire_len, eth_*, vlan, ethertype, src, dst, hlim, hoa, rt2, frag, proto,
 * icmp_*, csum, subtype, identifier, component, all_components, opts, send_opts, mh_*, seq,
 * flags, lifetime, ncoa, pcoa, status, altcoa, code, badf, mac_input): JSON keys are unique.
 *
 * It must leave the writer balanced (every begin ended), must not write key material, and is
 * called for every frame including malformed ones (check f->wf.msg / f->wf.err first).  It
 * may read f->wf (the decoded views, which point into f->data) and f->data/len.  ctx is the
 * annotator's own state (created by its option parser; see decode_ext.h for how an annotator
 * gets a command-line option of `fmipctl decode`).
 */
#ifndef FMIPCTL_DESCRIBE_H
#define FMIPCTL_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jw.h"
#include "wire.h"

/* Link types fmipctl understands (decode.c maps pcap DLT_* values to these). */
enum describe_link {
	DESCRIBE_LINK_ETH = 0, /* DLT_EN10MB: Ethernet II, optional 802.1Q tag */
	DESCRIBE_LINK_RAW6,    /* DLT_RAW / DLT_IPV6: starts with the IP header */
	DESCRIBE_LINK_SLL,     /* DLT_LINUX_SLL: 16-octet cooked header */
	DESCRIBE_LINK_SLL2,    /* DLT_LINUX_SLL2: 20-octet cooked header */
	DESCRIBE_LINK__COUNT
};

struct fmipctl_frame {
	/* filled by the caller */
	uint64_t no;	     /* 1-based frame number in the capture */
	const uint8_t *data; /* captured octets */
	size_t len;	     /* captured length */
	size_t orig_len;     /* length on the wire (> len when the capture was cut) */
	bool has_ts;
	int64_t ts_sec;
	uint32_t ts_usec;
	enum describe_link link;

	/* filled by describe_decode() */
	size_t l2_skip;	   /* cooked-header octets skipped before the wire decoder */
	bool l2_not_ipv6;  /* the cooked header names another protocol (wire not called) */
	uint16_t l2_proto; /* protocol of a cooked header */
	int l2_err;	   /* a cooked header that is itself truncated */
	struct wire_frame wf;
};

struct describe_annotator {
	const char *name; /* for messages only */
	void (*annotate)(const struct fmipctl_frame *f, struct jw *w, void *ctx);
	void *ctx;
};

/* Decode f (zeroes f->wf first, strips a cooked header, calls wire_decode_frame()). */
void describe_decode(struct fmipctl_frame *f);

/*
 * Write f as one top-level object (one line): frame, time, len, msg, error, addresses, the
 * message's fields, every option, SEND signed-data and BADF MAC-input summaries, then the
 * annotators' keys.  Field names are documented in docs/fmipctl.md.
 */
void describe_frame(struct jw *w, const struct fmipctl_frame *f,
		    const struct describe_annotator *ann, unsigned n_ann);

/* Lower-case option names, for docs and tests ("lla", "cga", "hkreq", ..., "nd-<n>"). */
const char *describe_ndopt_name(uint8_t type, char buf[16]);
const char *describe_mhopt_name(uint8_t type, char buf[16]);

#endif /* FMIPCTL_DESCRIBE_H */
