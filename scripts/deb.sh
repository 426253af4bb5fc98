#!/bin/sh
# deb.sh: build the Debian package of tsdown from the built tools (make deb).
#
#   B=build/rel sh scripts/deb.sh [OUTDIR]     (default OUTDIR: build)
#
# The tree is what make install writes with PREFIX=/usr (tools under
# /usr/lib/tsdown/bin, the tsdown command, tsdown-TOOL.1 pages, the model,
# the tsdown-pipeline@.service unit), stripped, pages compressed, with the
# copyright file and an example pipeline; dpkg-shlibdeps computes the
# library dependencies, dpkg-gencontrol writes the control file from
# debian/control and debian/changelog, dpkg-deb builds the package, and
# lintian must find no error in it (LINTIAN=no skips that).
set -eu
cd "$(dirname "$0")/.."
: "${B:?B must name the build directory (build/rel)}"
out=${1:-build}
work=$out/deb
root=$work/root
rm -rf "$work"
mkdir -p "$root"

# the files, as make install writes them; dpkg keeps its own list
DESTDIR=$root PREFIX=/usr UNITDIR=/lib/systemd/system sh scripts/install.sh install "$B/bin" 2>/dev/null
rm -f "$root/usr/lib/tsdown/manifest"
for f in "$root"/usr/bin/* "$root"/usr/lib/tsdown/bin/*; do
	file -b "$f" | grep -q '^ELF' || continue
	strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
done
gzip -9n "$root"/usr/share/man/man?/*
doc=$root/usr/share/doc/tsdown
mkdir -p "$doc/examples"
cp debian/copyright "$doc/copyright"
gzip -9nc debian/changelog > "$doc/changelog.gz"
cp scripts/reduce.pipeline "$doc/examples/reduce.pipeline"
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -exec chmod go-w {} +

# control: Depends from the libraries the tools link, Installed-Size
mkdir -p "$root/DEBIAN"
dpkg-shlibdeps -T"$work/substvars" $(find "$root/usr" -type f -perm -u+x -exec sh -c 'file -b "$1" | grep -q ^ELF' _ {} \; -print)
dpkg-gencontrol -ptsdown -T"$work/substvars" -Vmisc:Depends= -P"$root" -f"$work/files"
(cd "$root" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$out/tsdown_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "deb: $deb ($(du -k "$deb" | cut -f1) KiB)"
dpkg-deb -f "$deb" Depends
if [ "${LINTIAN:-yes}" != no ]; then
	lintian --fail-on error "$deb" || {
		echo "deb: lintian found errors in $deb" >&2
		exit 1
	}
fi
