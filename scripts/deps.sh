#!/usr/bin/env bash
# Install every Debian 12 package fmipgw needs to build, test, fuzz and run its demo.
# Idempotent: when everything is present it installs nothing and does not touch apt.
# Needs no hugepages (see scripts/hugepages.sh for that, optional).
set -euo pipefail

PKGS=(
  build-essential pkg-config meson ninja-build
  dpdk dpdk-dev libdpdk-dev
  libipsec-mb-dev
  libssl-dev openssl
  libpcap-dev
  libcmocka-dev
  libjansson-dev
  clang libclang-rt-dev llvm
  clang-format
  tshark gnuplot-nox
  python3 python3-scapy python3-cryptography
  iproute2 procps valgrind
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PKGS[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: need root to install packages (run as root or with sudo)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
