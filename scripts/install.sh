#!/bin/sh
# Install or uninstall tsdown without clobbering (make install, make uninstall).
#
#   install.sh install   BUILD_BIN   (files come from the build and the tree)
#   install.sh uninstall
#
# Environment: DESTDIR, PREFIX, BINDIR, MANDIR (as in the Makefile).
#
# Layout: the tools go to $PREFIX/lib/tsdown/bin, where they cannot replace
# or shadow a system command (m4 and merge are GNU m4's and RCS's names);
# $BINDIR/tsdown is the one command on PATH (`tsdown dwt -w 256`, or
# PATH=$(tsdown --path):$PATH for bare pipelines). Manual pages of the tools
# are installed as tsdown-TOOL.1 (`man tsdown-merge`), the overview as
# tsdown(7), the front command as tsdown(1).
#
# Every file written is listed, with its SHA-256, in
# $PREFIX/lib/tsdown/manifest. install refuses, before writing anything, to
# overwrite a file that the manifest of an earlier install does not list
# with the same content; uninstall removes exactly the files listed whose
# content is still what install wrote, then the manifest, then the
# directories install created that are left empty.
set -eu
: "${PREFIX:=/usr/local}" "${BINDIR:=$PREFIX/bin}" "${MANDIR:=$PREFIX/share/man}"
DESTDIR=${DESTDIR:-}
LIBDIR=$PREFIX/lib/tsdown
TOOLDIR=$LIBDIR/bin
DATADIR=$PREFIX/share/tsdown
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
MANIFEST=$LIBDIR/manifest
ROOT=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "install: $*" >&2; exit 1; }

# the hash install recorded for a path (empty: not in the manifest)
recorded() {
	[ -f "$DESTDIR$MANIFEST" ] || return 0
	awk -v p="$1" '$2 == p { print $1 }' "$DESTDIR$MANIFEST"
}

# the list of files to write: "MODE SOURCE TARGET", TARGET without DESTDIR
plan() {
	bin=$1
	echo "755 $bin/tsdown $BINDIR/tsdown"
	for t in "$bin"/*; do
		n=$(basename "$t")
		[ "$n" = tsdown ] && continue
		[ -f "$ROOT/cmd/$n.c" ] || continue
		echo "755 $t $TOOLDIR/$n"
	done
	echo "644 $ROOT/man/man1/tsdown.1 $MANDIR/man1/tsdown.1"
	for p in "$ROOT"/man/man1/*.1; do
		n=$(basename "$p" .1)
		[ "$n" = tsdown ] && continue
		echo "644 $p $MANDIR/man1/tsdown-$n.1"
	done
	for p in "$ROOT"/man/man5/*.5; do echo "644 $p $MANDIR/man5/$(basename "$p")"; done
	for p in "$ROOT"/man/man7/*.7; do echo "644 $p $MANDIR/man7/$(basename "$p")"; done
	echo "644 $ROOT/models/default.tsdm $DATADIR/default.tsdm"
	echo "755 $ROOT/scripts/tsdown-pipeline $TOOLDIR/tsdown-pipeline"
	echo "644 @unit $UNITDIR/tsdown-pipeline@.service"
}

# a tool's page is installed as tsdown-TOOL: its title and NAME say so
man_rename() { # SOURCE NAME
	sed -e "s/^\.TH [^ ]* /.TH $(echo "tsdown-$2" | tr a-z A-Z) /" \
	    -e "/^\.SH NAME/{n;s/^$2 /tsdown-$2 /;}" "$1"
}

unit() {
	sed -e "s|@TOOLDIR@|$TOOLDIR|g" "$ROOT/scripts/tsdown-pipeline@.service.in"
}

# create the parents of a file, listing in $dirs those that did not exist
mkparents() {
	d=$(dirname "$1") missing=""
	while [ ! -d "$DESTDIR$d" ]; do
		missing="$d $missing"
		d=$(dirname "$d")
	done
	for d in $missing; do
		mkdir "$DESTDIR$d"
		echo "dir  $d" >> "$dirs"
	done
}

do_install() {
	bin=$1
	[ -x "$bin/tsdown" ] || die "$bin/tsdown: not built (run make first)"
	list=$(plan "$bin")
	# check everything before writing anything
	bad=0
	while read -r mode src dst; do
		[ -e "$DESTDIR$dst" ] || [ -L "$DESTDIR$dst" ] || continue
		want=$(recorded "$dst")
		have=$(sha256sum "$DESTDIR$dst" | cut -d' ' -f1)
		if [ -z "$want" ]; then
			echo "install: $DESTDIR$dst exists and was not installed by tsdown; not overwriting it" >&2
			bad=1
		elif [ "$want" != "$have" ]; then
			echo "install: $DESTDIR$dst was changed since tsdown installed it; not overwriting it" >&2
			bad=1
		fi
	done <<EOT
$list
EOT
	[ "$bad" -eq 0 ] || die "nothing installed (move those files away, or choose another PREFIX)"
	new=$(mktemp) dirs=$(mktemp)
	trap 'rm -f "$new" "$dirs"' EXIT
	# directories an earlier install created stay listed
	[ -f "$DESTDIR$MANIFEST" ] && grep '^dir  ' "$DESTDIR$MANIFEST" >> "$dirs" || true
	while read -r mode src dst; do
		mkparents "$dst"
		tmp="$DESTDIR$dst.tsdown-new"
		case $src in
		@unit) unit > "$tmp" ;;
		*/man/man1/*.1)
			n=$(basename "$src" .1)
			if [ "$n" = tsdown ]; then cp "$src" "$tmp"; else man_rename "$src" "$n" > "$tmp"; fi ;;
		*) cp "$src" "$tmp" ;;
		esac
		chmod "$mode" "$tmp"
		mv -f "$tmp" "$DESTDIR$dst"
		printf '%s  %s\n' "$(sha256sum "$DESTDIR$dst" | cut -d' ' -f1)" "$dst" >> "$new"
	done <<EOT
$list
EOT
	# files of an earlier install that this one does not write stay listed
	if [ -f "$DESTDIR$MANIFEST" ]; then
		grep -v '^dir  ' "$DESTDIR$MANIFEST" | while read -r h p; do
			grep -q "  $p\$" "$new" || [ ! -e "$DESTDIR$p" ] || printf '%s  %s\n' "$h" "$p" >> "$new"
		done
	fi
	cat "$dirs" >> "$new"
	chmod 644 "$new"
	mv -f "$new" "$DESTDIR$MANIFEST"
	echo "install: $(grep -vc '^dir  ' "$DESTDIR$MANIFEST") files under $DESTDIR$PREFIX, listed in $DESTDIR$MANIFEST" >&2
}

do_uninstall() {
	[ -f "$DESTDIR$MANIFEST" ] || die "$DESTDIR$MANIFEST: no manifest: nothing was installed under $PREFIX"
	kept=0 n=0
	while read -r h p; do
		[ "$h" = dir ] && continue
		f=$DESTDIR$p
		[ -e "$f" ] || continue
		if [ "$(sha256sum "$f" | cut -d' ' -f1)" != "$h" ]; then
			echo "uninstall: $f was changed since it was installed; left in place" >&2
			kept=$((kept + 1))
			continue
		fi
		rm -f "$f"
		n=$((n + 1))
	done < "$DESTDIR$MANIFEST"
	dirs=$(awk '$1 == "dir" { print $2 }' "$DESTDIR$MANIFEST" | sort -r)
	rm -f "$DESTDIR$MANIFEST"
	# the directories install created, deepest first, if nothing else is in them
	for d in $dirs; do
		rmdir "$DESTDIR$d" 2>/dev/null || true
	done
	echo "uninstall: removed $n files" >&2
	[ "$kept" -eq 0 ] || exit 1
}

case ${1:-} in
install) do_install "${2:?install.sh install BUILD_BIN}" ;;
uninstall) do_uninstall ;;
*) echo "usage: install.sh install BUILD_BIN | uninstall" >&2; exit 2 ;;
esac
