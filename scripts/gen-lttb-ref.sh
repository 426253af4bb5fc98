#!/bin/sh
# gen-lttb-ref.sh: regenerate testdata/lttb/ (LTTB reference indices) with
# the npm package downsample-lttb@0.0.1, installed into a scratch directory.
# usage: scripts/gen-lttb-ref.sh [NAB_DIR]   (default ../shared/data/nab)
set -eu
cd "$(dirname "$0")/.."
nab=${1:-../shared/data/nab}
work=$(mktemp -d /tmp/gen-lttb-ref.XXXXXX)
trap 'rm -rf "$work"' EXIT
npm install --silent --no-save --prefix "$work" downsample-lttb@0.0.1 >/dev/null
rm -f testdata/lttb/*.i testdata/lttb/*.t
mkdir -p testdata/lttb
NODE_PATH="$work/node_modules" node scripts/gen-lttb-ref.js testdata/lttb "$nab"/*.csv
