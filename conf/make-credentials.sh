#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Create SEND router credentials for fmipgw (RFC 3971 §6, docs/credentials.md):
#   trust-anchor.pem      self-signed trust anchor (give it to the mobile nodes)
#   ta.key.pem            its key (keep it offline)
#   ca.cert.pem/ca.key.pem        intermediate CA
#   router.key.pem        the router's RSA key (mode 0600)
#   router.cert.pem       router certificate with the RFC 3779 IPv6 prefixes it may serve
#   router.chain.pem      router certificate followed by the intermediate (what the gateway
#                         loads and sends in CPA)
#   router.cga.params     CGA Parameters of the router's link-local CGA (RFC 3972)
#   router.cga            that address, one line
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
#   --reuse-ta DIR      sign with an existing trust anchor (DIR/ta.key.pem, DIR/trust-anchor.pem)
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
	-h | --help) sed -n '3,27p' "$0"; exit 0 ;;
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

mkdir -p "$out"
umask 077
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

if [ -n "$reuse_ta" ]; then
	cp "$reuse_ta/ta.key.pem" ta.key.pem
	cp "$reuse_ta/trust-anchor.pem" trust-anchor.pem
else
	openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out ta.key.pem
	openssl req -new -key ta.key.pem -subj "/CN=$name trust anchor" -config /dev/null \
		-out ta.csr
	openssl x509 -req -sha256 -in ta.csr -signkey ta.key.pem -days "$days" \
		-extfile ext.cnf -extensions ta -set_serial 1 -out trust-anchor.pem 2>/dev/null
	rm -f ta.csr
fi

openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out ca.key.pem
openssl req -new -key ca.key.pem -subj "/CN=$name intermediate CA" -config /dev/null -out ca.csr
openssl x509 -req -sha256 -in ca.csr -CA trust-anchor.pem -CAkey ta.key.pem -days "$days" \
	-extfile ext.cnf -extensions ca -set_serial 2 -out ca.cert.pem 2>/dev/null

openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out router.key.pem
chmod 0600 router.key.pem
openssl req -new -key router.key.pem -subj "/CN=$name router" -config /dev/null -out router.csr
openssl x509 -req -sha256 -in router.csr -CA ca.cert.pem -CAkey ca.key.pem -days "$days" \
	-extfile ext.cnf -extensions router -set_serial 3 -out router.cert.pem 2>/dev/null
cat router.cert.pem ca.cert.pem >router.chain.pem
rm -f ca.csr router.csr ext.cnf
chmod 0644 trust-anchor.pem ca.cert.pem router.cert.pem router.chain.pem

# The router's link-local CGA (RFC 3972 §4) from its key.
"$fmipctl" cga gen --key router.key.pem --prefix fe80::/64 --sec "$sec" \
	--out router.cga.params >router.cga
chmod 0644 router.cga.params router.cga
echo "router link-local CGA: $(cat router.cga)"
