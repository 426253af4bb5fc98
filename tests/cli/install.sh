# make install / make uninstall (scripts/install.sh): no clobbering, a
# manifest, and an uninstall that removes exactly what install wrote; the
# tsdown front command; the service unit (systemd-analyze verify) and its
# runner (tsdown-pipeline: SIGTERM to the source only, backoff).
. "$(dirname "$0")/lib.sh"
INST="sh $ROOT/scripts/install.sh"
export PREFIX=/usr

# a system that has GNU m4 and RCS merge, with their pages
R=$D/root
mkdir -p "$R/usr/bin" "$R/usr/share/man/man1" "$R/usr/local/bin"
printf '#!/bin/sh\necho GNU m4\n' > "$R/usr/bin/m4"
printf '#!/bin/sh\necho RCS merge\n' > "$R/usr/bin/merge"
chmod 755 "$R/usr/bin/m4" "$R/usr/bin/merge"
echo 'm4 page' > "$R/usr/share/man/man1/m4.1"
echo 'merge page' > "$R/usr/share/man/man1/merge.1"
(cd "$R" && find . | sort > "$D/before.list" && find . -type f | sort | xargs sha256sum > "$D/before.sum")

ck "install beside m4 and merge" 0 '*' "DESTDIR='$R' $INST install '$TSD_BIN'"
ok "m4 and merge untouched" "cd '$R' && sha256sum -c --quiet '$D/before.sum'"
ok "tools in lib/tsdown/bin" "test -x '$R/usr/lib/tsdown/bin/merge' && test -x '$R/usr/lib/tsdown/bin/m4' && test -x '$R/usr/lib/tsdown/bin/dwt'"
ok "only tsdown in bin" "test \"\$(ls '$R/usr/bin' | tr '\n' ' ')\" = 'm4 merge tsdown '"
ok "pages as tsdown-TOOL.1" "test -f '$R/usr/share/man/man1/tsdown-merge.1' && test -f '$R/usr/share/man/man1/tsdown-m4.1' && test -f '$R/usr/share/man/man1/tsdown.1' && test -f '$R/usr/share/man/man7/tsdown.7' && test -f '$R/usr/share/man/man5/tsd-frames.5'"
ok "renamed page says its name" "grep -q '^\.TH TSDOWN-MERGE 1' '$R/usr/share/man/man1/tsdown-merge.1' && grep -q '^tsdown-merge ' '$R/usr/share/man/man1/tsdown-merge.1'"
ok "renamed page formats" "groff -man -Tutf8 -ww -z '$R/usr/share/man/man1/tsdown-merge.1'"
ok "model installed" "cmp '$ROOT/models/default.tsdm' '$R/usr/share/tsdown/default.tsdm'"
ok "manifest lists every file installed" "cd '$R' && diff <(grep -v '^dir  ' usr/lib/tsdown/manifest | sed 's/^[0-9a-f]*  //' | sort) <(find . -type f | sed 's|^\.||' | grep -vx -e /usr/bin/m4 -e /usr/bin/merge -e /usr/share/man/man1/m4.1 -e /usr/share/man/man1/merge.1 -e /usr/lib/tsdown/manifest | sort)"
ok "manifest hashes are right" "cd '$R' && grep -v '^dir  ' usr/lib/tsdown/manifest | sed 's|  /|  ./|' | sha256sum -c --quiet"

# the front command finds its tools wherever the tree is
ck "tsdown --path" 0 '' "'$R/usr/bin/tsdown' --path"
[ "$OUT" = "$R/usr/lib/tsdown/bin" ] && _res P "tsdown --path is lib/tsdown/bin" || _res F "tsdown --path is lib/tsdown/bin" "$OUT"
ck "tsdown runs a tool" 0 '' "'$R/usr/bin/tsdown' tsgen --points 300 --no-events -o bin | '$R/usr/bin/tsdown' dwt -w 256 -o bin | '$R/usr/bin/tsdown' merge --full -o csv | tail -1 | grep -q '^2024-01-01 04:59:00,'"
ck "tsdown merge is ours" 0 '' "'$R/usr/bin/tsdown' merge --version | grep -q '^merge (tsdown) '"
ck "tools first on PATH inside" 0 '' "'$R/usr/bin/tsdown' tsdown-pipeline --version >/dev/null && test \"\$('$R/usr/bin/tsdown' tsdown-pipeline --help | head -1)\" != ''"
ck "tsdown --help lists tools" 0 '' "'$R/usr/bin/tsdown' --help | grep -qE '^  merge +inverse'"
ck "tsdown --version" 0 '' "'$R/usr/bin/tsdown' --version | grep -q '^tsdown (tsdown) '"
ck "tsdown unknown tool" 2 "tsdown: 'cat' is not a tsdown tool (tsdown --help lists them)
Try 'tsdown --help' for more information." "'$R/usr/bin/tsdown' cat"
ck "tsdown no path tricks" 2 '*' "'$R/usr/bin/tsdown' ../../bin/m4"
ck "PATH=\$(tsdown --path) gives bare names" 0 '' "PATH=\$('$R/usr/bin/tsdown' --path):\$PATH; merge --version | grep -q tsdown"

# installing again over our own files is fine
ck "reinstall" 0 '*' "DESTDIR='$R' $INST install '$TSD_BIN'"

# a file at a target path that install did not write: refused, nothing written
R2=$D/root2
mkdir -p "$R2/usr/bin" "$R2/usr/share/man/man1"
echo 'someone else' > "$R2/usr/share/man/man1/tsdown-merge.1"
ck "install refuses a foreign file" 1 "install: $R2/usr/share/man/man1/tsdown-merge.1 exists and was not installed by tsdown; not overwriting it
install: nothing installed (move those files away, or choose another PREFIX)" "DESTDIR='$R2' $INST install '$TSD_BIN'"
ok "nothing written" "test \"\$(cd '$R2' && find . -type f)\" = './usr/share/man/man1/tsdown-merge.1' && ! test -e '$R2/usr/lib'"
ok "foreign file kept" "test \"\$(cat '$R2/usr/share/man/man1/tsdown-merge.1')\" = 'someone else'"

# a file changed after install: neither overwritten nor removed
echo local >> "$R/usr/lib/tsdown/bin/nth"
ck "install refuses a changed file" 1 '*' "DESTDIR='$R' $INST install '$TSD_BIN'"
ck "uninstall keeps a changed file" 1 "uninstall: $R/usr/lib/tsdown/bin/nth was changed since it was installed; left in place
uninstall: removed $(($(grep -vc '^dir  ' "$R/usr/lib/tsdown/manifest") - 1)) files" "DESTDIR='$R' $INST uninstall"
ok "changed file still there" "tail -1 '$R/usr/lib/tsdown/bin/nth' | grep -q local"
rm -f "$R/usr/lib/tsdown/bin/nth"
rmdir "$R/usr/lib/tsdown/bin" "$R/usr/lib/tsdown" "$R/usr/lib"
(cd "$R" && find . | sort > "$D/after.list")
ok "uninstall leaves the tree as it was" "diff '$D/before.list' '$D/after.list'"
ok "m4 and merge still untouched" "cd '$R' && sha256sum -c --quiet '$D/before.sum'"

# a clean round trip: install, uninstall, nothing left, no error
ck "install again" 0 '*' "DESTDIR='$R' $INST install '$TSD_BIN'"
ck "uninstall" 0 '*' "DESTDIR='$R' $INST uninstall"
(cd "$R" && find . | sort > "$D/after.list")
ok "round trip leaves the tree as it was" "diff '$D/before.list' '$D/after.list'"
ck "uninstall without an install" 1 "install: $R/usr/lib/tsdown/manifest: no manifest: nothing was installed under /usr" "DESTDIR='$R' $INST uninstall"

# the Makefile's targets use this script
ok "make install and uninstall call it" "make -s -C '$ROOT' -n install uninstall B=x | grep -c 'scripts/install.sh' | grep -qx 2"

# the unit, installed under a real prefix so that its paths exist
P=$D/prefix
ck "install under a prefix" 0 '*' "PREFIX='$P' $INST install '$TSD_BIN'"
U=$P/lib/systemd/system/tsdown-pipeline@.service
ok "unit runs the installed runner" "grep -qx 'ExecStart=$P/lib/tsdown/bin/tsdown-pipeline %i' '$U'"
if command -v systemd-analyze >/dev/null; then
	ck "systemd-analyze verify" 0 '' "cd '$P' && systemd-analyze verify --man=no '$U'"
else
	_res F "systemd-analyze verify" "systemd-analyze missing (make deps installs systemd)"
fi
ok "unit: restart, backoff, SIGTERM, journal" "grep -qx Restart=on-failure '$U' && grep -qx KillSignal=SIGTERM '$U' && grep -qx KillMode=mixed '$U' && grep -qx StandardError=journal '$U' && grep -qx RuntimeDirectoryPreserve=restart '$U'"

# the runner: SIGTERM stops the source only; the later stages finish
C=$D/conf
mkdir -p "$C" "$D/run"
echo "# a comment
tsgen --points 0 --step 1s --realtime=200 --no-events -o bin | paa -w 64 -g 8 -Z -o bin | tsconv -o csv > '$D/paa.csv'" > "$C/live.pipeline"
TSDOWN_CONF=$C RUNTIME_DIRECTORY=$D/run "$P/lib/tsdown/bin/tsdown-pipeline" live:1 2> "$D/runner.err" &
pid=$!
# wait for two whole windows (up to 20 s), then stop
for i in $(seq 200); do [ -f "$D/paa.csv" ] && [ "$(wc -l < "$D/paa.csv")" -ge 17 ] && break; sleep 0.1; done
kill -TERM $pid
wait $pid; rc=$?
[ $rc -eq 143 ] && _res P "runner stopped: the source's status" || _res F "runner stopped: the source's status" "exit $rc: $(cat "$D/runner.err")"
ok "runner logged the line and the stop" "grep -q '^tsdown-pipeline: live:1: tsgen ' '$D/runner.err' && grep -q '^tsdown-pipeline: live:1: stopped (exit 143)' '$D/runner.err'"
# the source ended by the signal: its end of input makes paa write its last
# window too, whole lines only
ok "later stages wrote out their records" "n=\$(grep -c '^20' '$D/paa.csv'); [ \$n -ge 16 ] && [ -z \"\$(tail -c 1 '$D/paa.csv')\" ] && tsconv --order strict '$D/paa.csv' >/dev/null && awk -F, 'NF != 2 { exit 1 }' '$D/paa.csv'"
ok "a stop is no failure" "! test -e '$D/run/failures'"
echo "false | tsconv" > "$C/bad.pipeline"
ck "failing pipeline" 1 '*' "TSDOWN_CONF='$C' RUNTIME_DIRECTORY='$D/run' '$P/lib/tsdown/bin/tsdown-pipeline' bad"
ok "failure counted" "test \"\$(cat '$D/run/failures')\" = 1"
ck "failing again" 1 '*' "TSDOWN_CONF='$C' RUNTIME_DIRECTORY='$D/run' '$P/lib/tsdown/bin/tsdown-pipeline' bad 2> '$D/bad.err'"
ok "next start backs off" "grep -q '^tsdown-pipeline: bad: 1 failure(s) in a row; starting in 1 s' '$D/bad.err'"
ok "second failure counted" "test \"\$(cat '$D/run/failures')\" = 2"
ck "no pipeline file" 1 "tsdown-pipeline: $C/none.pipeline: cannot read the pipeline of instance 'none:2'" "TSDOWN_CONF='$C' '$P/lib/tsdown/bin/tsdown-pipeline' none:2"
ck "uninstall the prefix" 0 '*' "PREFIX='$P' $INST uninstall"
ok "prefix empty again" "! test -e '$P'"
