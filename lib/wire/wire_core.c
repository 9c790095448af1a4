/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/wire: errors, the bounded writer, segments and Internet checksums. */
#include "wire.h"

static const char *const wire_err_text[] = {
#define WIRE_ERR_TEXT(n, s) s,
	WIRE_ERRORS(WIRE_ERR_TEXT)
#undef WIRE_ERR_TEXT
};

const char *wire_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= WIRE_E__COUNT)
		return "unknown error";
	return wire_err_text[err];
}

static const char *const wire_msg_text[] = {
#define WIRE_MSG_TEXT(n, s) s,
	WIRE_MSG_CLASSES(WIRE_MSG_TEXT)
#undef WIRE_MSG_TEXT
};

const char *wire_msg_name(enum wire_msg m)
{
	if ((unsigned)m >= WIRE_MSG__COUNT)
		return "unknown";
	return wire_msg_text[m];
}

/* RFC 3971 §5.2 / §11: the CGA Message Type tag for SEND. */
const uint8_t wire_send_cga_tag[16] = { 0x08, 0x6f, 0xca, 0x5e, 0x10, 0xb2, 0x00, 0xc9,
					0x9c, 0x8c, 0xe0, 0x01, 0x64, 0x27, 0x7c, 0x08 };

uint8_t *wire_put_reserve(struct wire_buf *w, size_t n)
{
	uint8_t *p;
	if (w->err != WIRE_OK)
		return NULL;
	if (w->cap - w->len < n) {
		w->err = WIRE_E_NOSPACE;
		return NULL;
	}
	p = w->p + w->len;
	w->len += n;
	return p;
}

void wire_put_u8(struct wire_buf *w, uint8_t v)
{
	uint8_t *p = wire_put_reserve(w, 1);
	if (p)
		p[0] = v;
}

void wire_put_be16(struct wire_buf *w, uint16_t v)
{
	uint8_t *p = wire_put_reserve(w, 2);
	if (p) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	}
}

void wire_put_be32(struct wire_buf *w, uint32_t v)
{
	uint8_t *p = wire_put_reserve(w, 4);
	if (p) {
		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
	}
}

void wire_put_be64(struct wire_buf *w, uint64_t v)
{
	wire_put_be32(w, (uint32_t)(v >> 32));
	wire_put_be32(w, (uint32_t)v);
}

void wire_put_bytes(struct wire_buf *w, const void *src, size_t n)
{
	uint8_t *p = wire_put_reserve(w, n);
	if (p && n)
		memcpy(p, src, n);
}

void wire_put_zero(struct wire_buf *w, size_t n)
{
	uint8_t *p = wire_put_reserve(w, n);
	if (p && n)
		memset(p, 0, n);
}

void wire_poke_be16(struct wire_buf *w, size_t off, uint16_t v)
{
	if (w->err != WIRE_OK)
		return;
	if (off > w->len || w->len - off < 2) {
		w->err = WIRE_E_NOSPACE;
		return;
	}
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
}

size_t wire_segs_copy(const struct wire_seg *seg, unsigned n, uint8_t *dst, size_t cap)
{
	size_t total = 0;
	unsigned i;
	for (i = 0; i < n; i++) {
		if (cap - total < seg[i].len)
			return 0;
		if (seg[i].len)
			memcpy(dst + total, seg[i].p, seg[i].len);
		total += seg[i].len;
	}
	return total;
}

uint32_t wire_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	uint64_t s = sum;
	size_t i = 0;
	/* 32-bit big-endian words into a 64-bit accumulator, then the tail. */
	for (; i + 4 <= len; i += 4)
		s += wire_be32(data + i);
	for (; i + 2 <= len; i += 2)
		s += wire_be16(data + i);
	if (i < len)
		s += (uint32_t)data[i] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t wire_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t wire_csum_pseudo(const uint8_t src[16], const uint8_t dst[16], uint32_t ulen, uint8_t nh)
{
	uint8_t tail[8] = { (uint8_t)(ulen >> 24),
			    (uint8_t)(ulen >> 16),
			    (uint8_t)(ulen >> 8),
			    (uint8_t)ulen,
			    0,
			    0,
			    0,
			    nh };
	uint32_t s = wire_csum_add(0, src, 16);
	s = wire_csum_add(s, dst, 16);
	return wire_csum_add(s, tail, 8);
}

uint16_t wire_l4_csum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh, const uint8_t *msg,
		      size_t len, size_t csum_off)
{
	uint32_t s = wire_csum_pseudo(src, dst, (uint32_t)len, nh);
	/* everything but the two checksum octets (csum_off is even in every caller) */
	if (csum_off + 2 <= len) {
		s = wire_csum_add(s, msg, csum_off);
		s = wire_csum_add(s, msg + csum_off + 2, len - csum_off - 2);
	} else {
		s = wire_csum_add(s, msg, len);
	}
	return wire_csum_fold(s);
}
