// webpage.mjs: drive tsplot's page in headless Chromium over the DevTools
// protocol (Node's built-in WebSocket: node --experimental-websocket).
//
//   node --experimental-websocket webpage.mjs zoom URL OUTDIR T0 STEP
//       the page holds samples i = 0.. at T0 + i*STEP seconds with the
//       values of val(i) below: zoom by dragging a box over 1% of the
//       range, pan with shift-drag, reset with a double-click; screenshots
//       in OUTDIR; checks the points drawn against val(i).
//   node --experimental-websocket webpage.mjs live URL OUTDIR
//       live data: the range grows while nobody inspects; a zoom pauses
//       the updates, a reset resumes them.
// Prints one line per check ("ok NAME" / "FAIL NAME: why"); exit 1 on any
// failure. Bounded: every wait has a deadline; Chromium is killed at exit.
// The deadlines only bound a failure: they are generous (a loaded machine
// and a sanitized server are many times slower), and no check depends on
// how fast anything is.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [mode, url, outdir, T0s, STEPs] = process.argv.slice(2);
let failed = 0;
const check = (name, cond, why) => {
	console.log(cond ? `ok ${name}` : `FAIL ${name}: ${why}`);
	if (!cond) failed++;
	return cond;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// the values the test data holds (the shell script writes the same)
export function val(i) {
	const tri = i % 200000 < 100000 ? i % 100000 : 100000 - (i % 100000);
	return tri + ((i * 7919) % 5003);
}

const prof = mkdtempSync(join(tmpdir(), "tsplot-chromium-"));
const chrome = spawn("chromium", ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-dev-shm-usage", "--remote-debugging-port=0", `--user-data-dir=${prof}`,
	"--window-size=1000,640", "about:blank"], { stdio: "ignore" });
let exited = false;
chrome.on("exit", () => { exited = true; });
const bye = async (code) => {
	try { chrome.kill("SIGTERM"); } catch (e) {}
	for (let i = 0; i < 50 && !exited; i++) await sleep(100);
	try { if (!exited) chrome.kill("SIGKILL"); } catch (e) {}
	try { rmSync(prof, { recursive: true, force: true }); } catch (e) {}
	process.exit(code);
};
setTimeout(() => { console.log("FAIL deadline: 300 s"); bye(1); }, 300000).unref();

let port;
for (let i = 0; i < 900 && !port && !exited; i++) {
	try { port = readFileSync(join(prof, "DevToolsActivePort"), "utf8").split("\n")[0]; } catch (e) { await sleep(100); }
}
if (!port) { console.log(`FAIL chromium: no DevTools port (${exited ? "chromium exited" : "90 s"})`); await bye(1); }
let targets;
for (let i = 0; i < 300; i++) {
	try { targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json(); if (targets.some((t) => t.type === "page")) break; } catch (e) {}
	await sleep(100);
}
const page = targets && targets.find((t) => t.type === "page");
if (!page) { console.log("FAIL chromium: no page target (30 s)"); await bye(1); }
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
let nextId = 1;
const waiting = new Map();
ws.onmessage = (m) => {
	const d = JSON.parse(m.data);
	if (d.id && waiting.has(d.id)) { waiting.get(d.id)(d); waiting.delete(d.id); }
};
const cdp = (method, params = {}) => new Promise((r, j) => {
	const id = nextId++;
	waiting.set(id, (d) => d.error ? j(new Error(method + ": " + d.error.message)) : r(d.result));
	ws.send(JSON.stringify({ id, method, params }));
});
const ev = async (expr) => {
	const r = await cdp("Runtime.evaluate", { expression: expr, returnByValue: true, awaitPromise: true });
	if (r.exceptionDetails) throw new Error(expr + ": " + JSON.stringify(r.exceptionDetails));
	return r.result.value;
};
const until = async (expr, ms = 30000) => {
	const end = Date.now() + ms;
	while (Date.now() < end) { if (await ev(expr)) return true; await sleep(50); }
	return false;
};
const shot = async (name) => {
	const r = await cdp("Page.captureScreenshot", { format: "png" });
	writeFileSync(join(outdir, name), Buffer.from(r.data, "base64"));
};
const mouse = (type, x, y, extra = {}) => cdp("Input.dispatchMouseEvent", { type, x, y, button: "left",
	clickCount: 1, ...extra });

await cdp("Page.enable");
await cdp("Runtime.enable");
await cdp("Emulation.setDeviceMetricsOverride", { width: 1000, height: 640, deviceScaleFactor: 1, mobile: false });
await cdp("Page.navigate", { url });
// (named per mode: both modes load the page)
if (!check(mode === "live" ? "live-page-loads" : "page-loads",
	await until("window.tsplot && tsplot.answers > 0 && tsplot.data && tsplot.data.series.length > 0", 90000),
	"no data drawn in 90 s"))
	await bye(1);
const box = await ev("(() => { const b = document.getElementById('c').getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; })()");
const cx = (x) => box[0] + x, cy = (y) => box[1] + y;

// points drawn inside [a, b] (ms) for series 0, with their values
const inView = (a, b) => ev(`(() => { const s = tsplot.data.series[0], o = [];
	for (let i = 0; i < s.t.length; i++) if (s.t[i] >= ${a} && s.t[i] <= ${b}) o.push([s.t[i], s.v[i]]); return o; })()`);

if (mode === "zoom") {
	const T0 = Number(T0s) * 1000, STEP = Number(STEPs) * 1000;
	const idx = (t) => Math.round((t - T0) / STEP);
	const full = await ev("tsplot.data.full");
	await shot("page-before.png");
	// drag a box over 1% of the range, from 45% to 46%
	const a = full[0] + 0.45 * (full[1] - full[0]), b = full[0] + 0.46 * (full[1] - full[0]);
	const xa = await ev(`tsplot.xOf(${a})`), xb = await ev(`tsplot.xOf(${b})`), ym = box[3] / 2;
	const beforeAll = await ev("tsplot.data");
	const answers = await ev("tsplot.answers");
	await mouse("mousePressed", cx(xa), cy(ym));
	await mouse("mouseMoved", cx((xa + xb) / 2), cy(ym));
	await mouse("mouseMoved", cx(xb), cy(ym));
	await mouse("mouseReleased", cx(xb), cy(ym));
	check("zoom-answered", await until(`tsplot.answers > ${answers} && tsplot.view && Math.abs(tsplot.data.t0 - tsplot.view[0]) < 0.01`), "no new data after the zoom");
	const view = await ev("tsplot.view");
	const frac = (view[1] - view[0]) / (full[1] - full[0]);
	check("zoom-is-1pct", frac > 0.007 && frac < 0.013, `view is ${(frac * 100).toFixed(2)}% of the range`);
	// before: the points of the whole-range answer that fell in the view
	const s0 = beforeAll.series[0];
	let nBefore = 0;
	for (let i = 0; i < s0.t.length; i++) if (s0.t[i] >= view[0] && s0.t[i] <= view[1]) nBefore++;
	const pts = await inView(view[0], view[1]);
	check("zoom-more-detail", pts.length >= 10 * Math.max(1, nBefore) && pts.length >= 1000,
		`${pts.length} points in the slice after the zoom, ${nBefore} before`);
	// re-aggregated from the samples: every point drawn is a sample, and
	// the slice's extremes (from val) are drawn exactly
	let bad = 0, lo = Infinity, hi = -Infinity;
	for (const [t, v] of pts) if (val(idx(t)) !== v || Math.abs(idx(t) * STEP + T0 - t) > 0.5) bad++;
	for (let i = Math.ceil((view[0] - T0) / STEP); i * STEP + T0 <= view[1]; i++) { const v = val(i); if (v < lo) lo = v; if (v > hi) hi = v; }
	const vs = pts.map((p) => p[1]);
	check("zoom-points-are-samples", bad === 0, `${bad} of ${pts.length} points are not samples`);
	check("zoom-extremes-exact", Math.min(...vs) === lo && Math.max(...vs) === hi,
		`drawn ${Math.min(...vs)}..${Math.max(...vs)}, samples ${lo}..${hi}`);
	check("zoom-canvas-drawn", (await ev("tsplot.points")) >= pts.length, "fewer points drawn than answered");
	console.log(`zoom: ${nBefore} points in the slice before, ${pts.length} after; answer in ${(await ev("tsplot.lastMs")).toFixed(1)} ms (browser fetch)`);
	await shot("page-zoomed.png");
	// hover: time and value under the pointer
	await mouse("mouseMoved", cx(box[2] / 2), cy(ym), { button: "none" });
	check("hover", await until("tsplot.hoverText && /\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d/.test(tsplot.hoverText) && tsplot.hoverText.includes(tsplot.data.series[0].name + ':')", 30000),
		"no tooltip with a time and a value");
	await shot("page-hover.png");
	// pan: shift-drag 200 px to the left moves the view later by 200 px
	const n1 = await ev("tsplot.answers"), pw = await ev("tsplot.plotW()");
	await mouse("mousePressed", cx(600), cy(ym), { modifiers: 8 });
	await mouse("mouseMoved", cx(500), cy(ym), { modifiers: 8 });
	await mouse("mouseMoved", cx(400), cy(ym), { modifiers: 8 });
	await mouse("mouseReleased", cx(400), cy(ym), { modifiers: 8 });
	check("pan-answered", await until(`tsplot.answers > ${n1} && Math.abs(tsplot.data.t0 - tsplot.view[0]) < 0.01`), "no new data after the pan");
	const v2 = await ev("tsplot.view"), want = 200 / pw * (view[1] - view[0]);
	check("pan-moves", Math.abs(v2[0] - view[0] - want) < 0.02 * want && Math.abs((v2[1] - v2[0]) - (view[1] - view[0])) < 1,
		`view moved by ${v2[0] - view[0]} ms, want ${want}`);
	const pp = await inView(v2[0], v2[1]);
	let bad2 = 0;
	for (const [t, v] of pp) if (val(idx(t)) !== v) bad2++;
	check("pan-points-are-samples", pp.length >= 1000 && bad2 === 0, `${pp.length} points, ${bad2} not samples`);
	await shot("page-panned.png");
	// reset: a double-click shows the whole range again
	const n2 = await ev("tsplot.answers");
	await mouse("mousePressed", cx(500), cy(ym), { clickCount: 2 });
	await mouse("mouseReleased", cx(500), cy(ym), { clickCount: 2 });
	check("reset", await until(`tsplot.answers > ${n2} && tsplot.view === null && tsplot.data.t0 === tsplot.data.full[0] && tsplot.data.t1 === tsplot.data.full[1]`),
		"not back to the whole range");
	await shot("page-reset.png");
	// the x labels of the whole range do not overlap: distinct, >= 90 px apart by construction
	const labels = await ev("tsplot.xlabels");
	check("x-labels", labels.length >= 3 && new Set(labels).size === labels.length, JSON.stringify(labels));
} else if (mode === "live") {
	const f1 = await ev("tsplot.data.full[1]");
	check("live-updates", await until(`tsplot.data.full[1] > ${f1} && tsplot.view === null`, 30000), "the range did not grow");
	await shot("live-1.png");
	// inspect: zoom with the wheel, then the view stays put
	await cdp("Input.dispatchMouseEvent", { type: "mouseWheel", x: cx(400), y: cy(200), deltaX: 0, deltaY: -100 });
	check("live-zoom", await until("tsplot.view !== null && Math.abs(tsplot.data.t0 - tsplot.view[0]) < 0.01", 30000), "no zoom");
	const v = await ev("tsplot.view"), n = await ev("tsplot.requests"), refresh = await ev("tsplot.refresh");
	await sleep(3 * refresh + 200);
	check("live-paused", (await ev("tsplot.requests")) === n && JSON.stringify(await ev("tsplot.view")) === JSON.stringify(v),
		"requests went on while inspecting");
	check("live-paused-status", /paused/.test(await ev("document.getElementById('status').textContent")), "no paused status");
	await cdp("Runtime.evaluate", { expression: "document.getElementById('reset').click()" });
	const f2 = await ev("tsplot.data.full[1]");
	check("live-resumes", await until(`tsplot.view === null && tsplot.data.full[1] > ${f2}`, 30000), "no live updates after reset");
	await shot("live-2.png");
}
await bye(failed ? 1 : 0);
