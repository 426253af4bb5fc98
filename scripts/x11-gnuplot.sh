#!/bin/sh
# Unpack Debian's gnuplot-x11 into DIR (default build/x11) without
# installing it: the package conflicts with gnuplot-nox, which the build
# and the other tests use. Its x11 driver is found through
# GNUPLOT_DRIVER_DIR=DIR/root/usr/lib/gnuplot. Prints the gnuplot path.
set -e
dir=${1:-build/x11}
bin=$dir/root/usr/bin/gnuplot-x11
if [ ! -x "$bin" ]; then
	mkdir -p "$dir"
	echo "x11-gnuplot: fetching gnuplot-x11 (apt-get download) into $dir" >&2
	(cd "$dir" && rm -f gnuplot-x11_*.deb && apt-get download gnuplot-x11 >&2 2>/dev/null) ||
		{ echo "x11-gnuplot: apt-get download gnuplot-x11 failed" >&2; exit 1; }
	dpkg -x "$dir"/gnuplot-x11_*.deb "$dir/root"
fi
echo "$bin"
