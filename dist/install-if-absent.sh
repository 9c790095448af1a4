#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# meson install script (dist/meson.build): install SRC as DEST (an absolute path, under
# $DESTDIR) with MODE unless DEST already exists.  `meson install` never replaces a
# configuration an operator has edited; the pristine sample is always installed beside the
# docs (examples/).  A package build installs into an empty DESTDIR, so the package carries
# the file, and dpkg's conffile handling takes over on upgrades.
#   usage: install-if-absent.sh SRC DEST MODE
set -eu
[ $# -eq 3 ] || { echo "usage: $0 SRC DEST MODE" >&2; exit 2; }
src=$1
dest=${DESTDIR:-}$2
mode=$3
if [ -e "$dest" ] || [ -L "$dest" ]; then
	echo "Keeping existing $dest (the shipped version is not installed over it)"
	exit 0
fi
mkdir -p "$(dirname "$dest")"
install -m "$mode" "$src" "$dest"
echo "Installing $src to $dest"
