# make deb (scripts/deb.sh): the package builds, lintian finds no error,
# and it installs and removes cleanly with dpkg into a scratch root whose
# package database holds this machine's records of the packages it
# depends on and of rcs and m4 (with their merge and m4 in place): dpkg
# checks the dependencies and that no file of another package is taken.
. "$(dirname "$0")/lib.sh"
for c in dpkg-deb dpkg-shlibdeps dpkg-gencontrol lintian; do
	command -v $c >/dev/null || { _res F "deb: $c" "missing (make deps installs dpkg-dev and lintian)"; exit 0; }
done
ck "make deb" 0 '*' "B='$(dirname "$TSD_BIN")' sh '$ROOT/scripts/deb.sh' '$D/out' > '$D/deb.out' 2> '$D/deb.err'"
[ -s "$D/deb.err" ] && grep -v 'running with root privileges' "$D/deb.err" | grep -q . &&
	_res F "make deb says nothing on stderr" "$(head -c 600 "$D/deb.err")"
DEB=$(ls "$D"/out/tsdown_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { _res F "deb built" "no .deb in $D/out"; exit 0; }
ok "control: Depends from dpkg-shlibdeps and gnuplot" "dpkg-deb -f '$DEB' Depends | grep -q 'librdkafka1' && dpkg-deb -f '$DEB' Depends | dpkg-deb -f '$DEB' Depends | grep -q 'libmicrohttpd' && dpkg-deb -f '$DEB' Depends | grep -q 'gnuplot-nox |'"
# loaded at run time by the stores (lib/dynlib.h): named in debian/control
ok "control: Depends on libpq5 and libsqlite3-0" "dpkg-deb -f '$DEB' Depends | grep -q 'libpq5 (>= ' && dpkg-deb -f '$DEB' Depends | grep -q 'libsqlite3-0 (>= 3.20'"
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' > "$D/contents"
ok "tools under /usr/lib/tsdown/bin" "grep -qx /usr/lib/tsdown/bin/merge '$D/contents' && grep -qx /usr/lib/tsdown/bin/m4 '$D/contents' && grep -qx /usr/bin/tsdown '$D/contents'"
ok "no m4 or merge on PATH" "! grep -qE '^/(usr/)?s?bin/(m4|merge)\$' '$D/contents'"
ok "pages, model, unit, copyright" "grep -qx /usr/share/man/man1/tsdown-merge.1.gz '$D/contents' && grep -qx /usr/share/man/man7/tsdown.7.gz '$D/contents' && grep -qx /usr/share/tsdown/default.tsdm '$D/contents' && grep -qx '/lib/systemd/system/tsdown-pipeline@.service' '$D/contents' && grep -qx /usr/share/doc/tsdown/copyright '$D/contents'"
ok "no manifest in the package" "! grep -q manifest '$D/contents'"

# a root whose dpkg database knows the dependencies and rcs and m4
R=$D/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers" "$R/usr/bin"
: > "$R/var/lib/dpkg/available"
pkgs="rcs m4"
for alt in $(dpkg-deb -f "$DEB" Depends | sed 's/([^)]*)//g; s/ //g' | tr ',' ' '); do
	for p in $(echo "$alt" | tr '|' ' '); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' && { pkgs="$pkgs $p"; break; }
	done
done
for p in $pkgs; do
	if ! dpkg-query -s "$p" >> "$R/var/lib/dpkg/status" 2>/dev/null; then
		_res F "this machine has $p" "not installed (make deps installs it)"
		continue
	fi
	echo >> "$R/var/lib/dpkg/status"
	for l in /var/lib/dpkg/info/"$p".list /var/lib/dpkg/info/"$p":*.list; do
		[ -f "$l" ] && cp "$l" "$R/var/lib/dpkg/info/"
	done
done
printf '#!/bin/sh\necho RCS merge\n' > "$R/usr/bin/merge"
printf '#!/bin/sh\necho GNU m4\n' > "$R/usr/bin/m4"
chmod 755 "$R/usr/bin/merge" "$R/usr/bin/m4"
(cd "$R" && find . -path ./var/lib/dpkg -prune -o -print | sort > "$D/before.list")
DPKG="dpkg --root='$R' --force-script-chrootless --log=/dev/null"
ck "dpkg -i (dependencies checked)" 0 '*' "$DPKG -i '$DEB' > '$D/dpkg.out'"
ok "installed" "dpkg-query --admindir='$R/var/lib/dpkg' -W -f='\${Status}' tsdown | grep -q 'ok installed'"
ok "rcs merge and m4 untouched" "grep -q 'RCS merge' '$R/usr/bin/merge' && grep -q 'GNU m4' '$R/usr/bin/m4'"

# run the packaged tools from the root
T=$R/usr/bin/tsdown
ck "packaged tsdown --path" 0 '' "'$T' --path"
[ "$OUT" = "$R/usr/lib/tsdown/bin" ] && _res P "packaged tools dir" || _res F "packaged tools dir" "$OUT"
ck "packaged pipeline" 0 '' "'$T' tsgen --points 1024 -o bin | '$T' dwt -w 256 -o bin | '$T' tscore -M '$R/usr/share/tsdown/default.tsdm' -o bin | '$T' thresh --ratio 8 -o bin | '$T' merge -o csv > red.csv && test \$(wc -l < red.csv) -gt 100"
ok "packaged pages read" "zcat '$R/usr/share/man/man1/tsdown-merge.1.gz' | groff -man -Tutf8 -ww -z"
sed "s|/usr/lib/tsdown/bin|$R/usr/lib/tsdown/bin|" "$R/lib/systemd/system/tsdown-pipeline@.service" > "$D/tsdown-pipeline@.service"
command -v systemd-analyze >/dev/null &&
	ck "packaged unit verifies" 0 '' "systemd-analyze verify --man=no '$D/tsdown-pipeline@.service'"

ck "dpkg -r" 0 '*' "$DPKG -r tsdown > '$D/dpkg.out'"
(cd "$R" && find . -path ./var/lib/dpkg -prune -o -print | sort > "$D/after.list")
ok "removal leaves the root as it was" "diff '$D/before.list' '$D/after.list'"
ok "rcs merge and m4 still there" "grep -q 'RCS merge' '$R/usr/bin/merge' && grep -q 'GNU m4' '$R/usr/bin/m4'"
ck "dpkg --purge" 0 '*' "$DPKG --purge tsdown > '$D/dpkg.out'"
ok "purged" "! dpkg-query --admindir='$R/var/lib/dpkg' -W tsdown 2>/dev/null | grep -q ."
