// gen-lttb-ref.js: LTTB reference indices for tests/test_downsample.c.
//
// Runs the npm package downsample-lttb 0.0.1 (Matej Drolc's node module of
// Sveinn Steinarsson's own JavaScript LTTB, an implementation independent
// of ours) on every NAB CSV given, at n_out 100, 500 and 1000, with two
// choices of x:
//   <name>.<n_out>.i   x = row index (0 for the first data row)
//   <name>.<n_out>.t   x = epoch seconds of the timestamp, read as UTC
// and writes the selected row indices, one per line, into OUTDIR.
//
// (The npm package "downsample" 1.4.0 was tried first: it slices its
// buckets differently and, when (n_out-2) * ((n-2)/(n_out-2)) rounds below
// n-2, drops point n-2 and returns it as the "last" point, e.g. on the
// 4032-point NAB files at n_out 500.)
//
// usage: node gen-lttb-ref.js OUTDIR FILE.csv...  (NODE_PATH must reach
// the package; scripts/gen-lttb-ref.sh sets that up)
'use strict';
const fs = require('fs');
const path = require('path');
const lttb = require('downsample-lttb');
const version = require('downsample-lttb/package.json').version;

const outdir = process.argv[2];
const files = process.argv.slice(3);
const NOUT = [100, 500, 1000];

for (const file of files) {
	const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1)
		.filter((l) => l.length > 0);
	const t = [], v = [];
	for (const l of lines) {
		const c = l.indexOf(',');
		const ms = Date.parse(l.slice(0, c).replace(' ', 'T') + 'Z');
		if (Number.isNaN(ms))
			throw new Error(`${file}: bad time: ${l}`);
		t.push(ms / 1000);
		v.push(parseFloat(l.slice(c + 1)));
	}
	const n = v.length;
	const name = path.basename(file, '.csv');
	for (const nout of NOUT) {
		for (const [tag, xs] of [['i', null], ['t', t]]) {
			// the third element carries the row index through
			const pts = v.map((y, i) => [xs ? xs[i] : i, y, i]);
			const sel = lttb.processData(pts, nout).map((p) => p[2]);
			if (sel.length !== Math.min(n, nout) || sel[0] !== 0 ||
			    sel[sel.length - 1] !== n - 1)
				throw new Error(`${name} ${nout}: unexpected output`);
			fs.writeFileSync(path.join(outdir, `${name}.${nout}.${tag}`),
				sel.join('\n') + '\n');
		}
	}
}
process.stderr.write(`downsample-lttb ${version}: ${files.length} files\n`);
