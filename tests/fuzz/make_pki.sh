#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Regenerate tests/fuzz/pki/: a SEND certification path (RFC 3971 §6, RFC 3779) for the
# published router key tests/vectors/keys/ar1.key.pem, used by the fuzz targets as their
# trust anchor, intermediate and router certificate (the vectors' own certificates are MD5
# and expired, so every path check on them stops at cert-weak).
#
#   trust-anchor.pem   self-signed, ::/0                         (fresh RSA-2048 key, discarded)
#   ca.cert.pem        intermediate, 2003::/16 and fe80::/10     (fresh RSA-2048 key, discarded)
#   router.cert.pem    ar1's key, 2003::/64 and fe80::/64
#   router.chain.pem   router.cert.pem + ca.cert.pem
#   ar1.cga.params     ar1's link-local CGA Parameters with the published modifier
#                      (PROTOCOL.md §10: fe80::20a7:895c:2302:73f1, Sec 1)
# Certificates are valid for 100 years from the day this ran.  The private keys of the anchor
# and the CA are deleted: these are test fixtures, nothing can be issued under them.
#
# usage: tests/fuzz/make_pki.sh FMIPCTL    (run from anywhere; writes tests/fuzz/pki/)
set -eu
fmipctl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
keys=$here/../vectors/keys
out=$here/pki
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cd "$tmp"

cat >ext.cnf <<EOC
[ta]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
sbgp-ipAddrBlock = critical, IPv6:::/0
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
sbgp-ipAddrBlock = critical, IPv6:2003::/16, IPv6:fe80::/10
[router]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
sbgp-ipAddrBlock = critical, IPv6:2003::/64, IPv6:fe80::/64
EOC
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ta.key
openssl req -new -key ta.key -subj "/CN=fmipgw fuzz trust anchor" -config /dev/null -out ta.csr
openssl x509 -req -sha256 -in ta.csr -signkey ta.key -days 36500 -extfile ext.cnf \
	-extensions ta -set_serial 1 -out trust-anchor.pem 2>/dev/null
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
openssl req -new -key ca.key -subj "/CN=fmipgw fuzz intermediate" -config /dev/null -out ca.csr
openssl x509 -req -sha256 -in ca.csr -CA trust-anchor.pem -CAkey ta.key -days 36500 \
	-extfile ext.cnf -extensions ca -set_serial 2 -out ca.cert.pem 2>/dev/null
openssl req -new -key "$keys/ar1.key.pem" -subj "/CN=fmipgw fuzz router ar1" -config /dev/null \
	-out router.csr
openssl x509 -req -sha256 -in router.csr -CA ca.cert.pem -CAkey ca.key -days 36500 \
	-extfile ext.cnf -extensions router -set_serial 3 -out router.cert.pem 2>/dev/null
cat router.cert.pem ca.cert.pem >router.chain.pem
openssl verify -x509_strict -CAfile trust-anchor.pem -untrusted ca.cert.pem router.cert.pem \
	>/dev/null
"$fmipctl" cga gen --key "$keys/ar1.key.pem" --prefix fe80::/64 --sec 1 \
	--modifier 0000000000000000000000000000e6d1 --out ar1.cga.params >ar1.cga
[ "$(cat ar1.cga)" = "fe80::20a7:895c:2302:73f1" ] || {
	echo "make_pki.sh: ar1's CGA is $(cat ar1.cga), not the published one" >&2
	exit 1
}
cp trust-anchor.pem ca.cert.pem router.cert.pem router.chain.pem ar1.cga.params "$out/"
echo "wrote $out"
