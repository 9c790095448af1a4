#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Create SEND router credentials for fmipgw (RFC 3971 §6, docs/credentials.md).
#
# In OUT (mode 0700), the files the gateway reads — copy these to the gateway:
#   router.key.pem        the router's RSA key (mode 0600)
#   router.cga.params     CGA Parameters of the router's link-local CGA (RFC 3972)
#   router.cga            that address, one line
#   router.chain.pem      router certificate followed by the intermediate (what the gateway
#                         loads and sends in CPA)
#   trust-anchor.pem      the trust anchor certificate (also for the mobile nodes)
#   router.cert.pem, ca.cert.pem   the router and intermediate certificates on their own
# In the CA directory (mode 0700; default OUT/ca-private, see --ca-dir), never on the gateway:
#   ta.key.pem            the trust anchor's private key (keep it offline)
#   ca.key.pem            the intermediate CA's private key
#   trust-anchor.pem, ca.cert.pem  copies, so that the directory alone can issue (--reuse-ta)
#
# usage: make-credentials.sh --out DIR --prefix P/LEN [--prefix P/LEN ...] [options]
#   --ca-prefix P/LEN   the intermediate CA's block (default: each router prefix)
#   --ta-prefix P/LEN   the trust anchor's block (default ::/0)
#   --days N            validity of every certificate (default 365)
#   --bits N            RSA size of the router key (default 2048; CAs use 3072)
#   --sec N             CGA Sec of the router's link-local address (default 1)
#   --fmipctl PATH      fmipctl binary used to derive the CGA (default: fmipctl on PATH)
#   --name NAME         common-name prefix (default fmipgw)
#   --no-ipaddr         router certificate without the RFC 3779 extension (tests only)
#   --ca-dir DIR        write the CA private keys to DIR instead of OUT/ca-private
#   --no-ca-keys        keep no CA private key at all (nothing more can be issued under this
#                       anchor: renewing means a new anchor for every mobile node)
#   --reuse-ta DIR      sign with an existing trust anchor: DIR is a CA directory (holding
#                       ta.key.pem and trust-anchor.pem), or an earlier OUT (its ca-private/,
#                       or the ta.key.pem an older version of this script left beside it)
set -eu

out=
prefixes=
ca_prefix=
ta_prefix=::/0
days=365
bits=2048
sec=1
fmipctl=fmipctl
name=fmipgw
ipaddr=1
reuse_ta=
ca_dir=
ca_keys=1

die() {
	echo "make-credentials.sh: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--prefix) prefixes="$prefixes $2"; shift 2 ;;
	--ca-prefix) ca_prefix="$ca_prefix $2"; shift 2 ;;
	--ta-prefix) ta_prefix=$2; shift 2 ;;
	--days) days=$2; shift 2 ;;
	--bits) bits=$2; shift 2 ;;
	--sec) sec=$2; shift 2 ;;
	--fmipctl) fmipctl=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--no-ipaddr) ipaddr=0; shift ;;
	--reuse-ta) reuse_ta=$2; shift 2 ;;
	--ca-dir) ca_dir=$2; shift 2 ;;
	--no-ca-keys) ca_keys=0; shift ;;
	-h | --help) sed -n '3,33p' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
[ -n "$out" ] || die "--out DIR is required"
[ -n "$prefixes" ] || die "at least one --prefix is required"
[ -n "$ca_prefix" ] || ca_prefix=$prefixes
command -v openssl >/dev/null || die "openssl not found"

blocks() { # "a/64 b/48" -> "IPv6:a/64, IPv6:b/48"
	s=
	for p in $*; do
		s="${s:+$s, }IPv6:$p"
	done
	echo "$s"
}

case "$fmipctl" in
*/*) fmipctl=$(cd "$(dirname "$fmipctl")" && pwd)/$(basename "$fmipctl") ;;
esac
command -v "$fmipctl" >/dev/null || die "fmipctl not found (use --fmipctl PATH)"

# Every file is created private (umask 077) and OUT itself is 0700: it holds the router key.
umask 077
abs() { (cd "$1" && pwd); }
if [ -n "$reuse_ta" ]; then
	[ -d "$reuse_ta" ] || die "--reuse-ta $reuse_ta: not a directory"
	reuse_ta=$(abs "$reuse_ta")
	if [ -f "$reuse_ta/ca-private/ta.key.pem" ]; then
		ta_src=$reuse_ta/ca-private
	elif [ -f "$reuse_ta/ta.key.pem" ]; then
		ta_src=$reuse_ta
	else
		die "--reuse-ta $reuse_ta: no ta.key.pem in it nor in its ca-private/"
	fi
	[ -f "$ta_src/trust-anchor.pem" ] || [ -f "$reuse_ta/trust-anchor.pem" ] ||
		die "--reuse-ta $reuse_ta: no trust-anchor.pem"
fi
mkdir -p "$out"
old_mode=$(stat -c %a "$out")
chmod 0700 "$out"
[ "$old_mode" = 700 ] || echo "make-credentials.sh: $out: mode $old_mode -> 0700 (it holds the router key)" >&2
out=$(abs "$out")
if [ "$ca_keys" = 1 ]; then
	[ -n "$ca_dir" ] || ca_dir=$out/ca-private
	mkdir -p "$ca_dir"
	chmod 0700 "$ca_dir"
	ca_dir=$(abs "$ca_dir")
fi
cd "$out"

cat >ext.cnf <<EOF
[ta]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
sbgp-ipAddrBlock = critical, $(blocks "$ta_prefix")
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
sbgp-ipAddrBlock = critical, $(blocks $ca_prefix)
[router]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
if [ "$ipaddr" = 1 ]; then
	echo "sbgp-ipAddrBlock = critical, $(blocks $prefixes)" >>ext.cnf
fi

# The CA keys are made and used in a private scratch directory, then moved to the CA directory
# (or deleted): they are never in OUT.
work=$(mktemp -d "$out/.ca-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "$reuse_ta" ]; then
	cp "$ta_src/ta.key.pem" "$work/ta.key.pem"
	if [ -f "$ta_src/trust-anchor.pem" ]; then
		cp "$ta_src/trust-anchor.pem" trust-anchor.pem
	else
		cp "$reuse_ta/trust-anchor.pem" trust-anchor.pem
	fi
else
	openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/ta.key.pem"
	openssl req -new -key "$work/ta.key.pem" -subj "/CN=$name trust anchor" -config /dev/null \
		-out "$work/ta.csr"
	openssl x509 -req -sha256 -in "$work/ta.csr" -signkey "$work/ta.key.pem" -days "$days" \
		-extfile ext.cnf -extensions ta -set_serial 1 -out trust-anchor.pem 2>/dev/null
fi

openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/ca.key.pem"
openssl req -new -key "$work/ca.key.pem" -subj "/CN=$name intermediate CA" -config /dev/null \
	-out "$work/ca.csr"
openssl x509 -req -sha256 -in "$work/ca.csr" -CA trust-anchor.pem -CAkey "$work/ta.key.pem" \
	-days "$days" -extfile ext.cnf -extensions ca -set_serial 2 -out ca.cert.pem 2>/dev/null

openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out router.key.pem
chmod 0600 router.key.pem
openssl req -new -key router.key.pem -subj "/CN=$name router" -config /dev/null -out "$work/router.csr"
openssl x509 -req -sha256 -in "$work/router.csr" -CA ca.cert.pem -CAkey "$work/ca.key.pem" \
	-days "$days" -extfile ext.cnf -extensions router -set_serial 3 -out router.cert.pem 2>/dev/null
cat router.cert.pem ca.cert.pem >router.chain.pem
rm -f ext.cnf
chmod 0644 trust-anchor.pem ca.cert.pem router.cert.pem router.chain.pem

if [ "$ca_keys" = 1 ]; then
	for f in ta.key.pem ca.key.pem; do
		mv "$work/$f" "$ca_dir/$f"
		chmod 0600 "$ca_dir/$f"
	done
	cp trust-anchor.pem ca.cert.pem "$ca_dir/"
	echo "CA private keys: $ca_dir (keep them off the gateway)"
else
	echo "CA private keys: none kept (--no-ca-keys)"
fi
rm -rf "$work"
trap - EXIT

# The router's link-local CGA (RFC 3972 §4) from its key.
"$fmipctl" cga gen --key router.key.pem --prefix fe80::/64 --sec "$sec" \
	--out router.cga.params >router.cga
chmod 0644 router.cga.params router.cga
echo "router link-local CGA: $(cat router.cga)"
