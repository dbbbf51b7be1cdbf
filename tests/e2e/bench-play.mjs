// Benchmark (not part of the test command), issue 17 goal 2: CPU of all
// browser processes while playing, RaftScope and ringraft in one run, reps
// interleaved (RS, slow, busy, RS, ...) so all see the same machine noise.
//
//   node tests/e2e/bench-play.mjs RAFTSCOPE_DIR [DIST] [--reps 3] [--window-s 6]
//
// Rows, each in a fresh headless Chromium (1280x720, files served gzip'd):
//   raftscope  RaftScope as it opens: 5 servers at its default speed, 1/100x
//   slow       ringraft, 5 servers at 1/100x (the same setting)
//   busy       ringraft at its default speed with 9 servers and client load
// The goals: slow <= 0.25x raftscope; busy <= 1.0x raftscope. CPU is the
// utime+stime of the browser's process tree (/proc) over the window, after
// a second of warm-up; frames is how many frames the page drew (rAF
// callbacks of its own) per second. RAFTSCOPE_DIR is a checkout of
// ongardie/raftscope with its two submodules (see issue 17); none of its
// files are in this repository.
import { chromium } from 'playwright-core';
import { serveGzip as serve, ARGS } from './harness.mjs';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const pos = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
if (!pos[0]) { console.error('usage: bench-play.mjs RAFTSCOPE_DIR [DIST] [--reps N] [--window-s S]'); process.exit(2); }
const [rsDir, rrDir] = [resolve(pos[0]), resolve(pos[1] ?? 'dist')];
const reps = +opt('--reps', '3'), windowS = +opt('--window-s', '6');
const CLK_TCK = +execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
const sleep = ms => new Promise(r => setTimeout(r, ms));


function procTable() {
  const t = new Map();
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const st = readFileSync(`/proc/${n}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      t.set(+n, { ppid: +f[1], ticks: +f[11] + +f[12] });
    } catch { /* gone */ }
  }
  return t;
}
function treeTicks(root) {
  const t = procTable(); let sum = 0; const st = [root];
  while (st.length) { const p = st.pop(); const e = t.get(p); if (!e) continue; sum += e.ticks; for (const [c, q] of t) if (q.ppid === p) st.push(c); }
  return sum;
}
// Counts the page's own animation-frame callbacks.
const RAF = `(() => { const raf = window.requestAnimationFrame.bind(window); window.__frames = 0;
  window.requestAnimationFrame = cb => raf(ts => { window.__frames++; return cb(ts); }); })();`;

// The Raft module's page is ready (the first picture and the first screen's
// module show servers before its controls are there).
const raftReady = () => !!document.querySelector('.shell[data-module]') && document.querySelectorAll('[data-node]').length >= 5;
const ROWS = {
  raftscope: { url: 0, ready: () => document.querySelectorAll('svg .server').length >= 5, async setup() { /* plays on load at 1/100x */ } },
  slow: { url: 1, ready: raftReady,
    async setup(page) {
      await page.$eval('#speed', el => { el.value = '-2'; el.dispatchEvent(new Event('input', { bubbles: true })); });
      await page.click('#play');
    } },
  busy: { url: 1, ready: raftReady,
    async setup(page) {
      await page.selectOption('#cluster-size', '9');
      await page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 9);
      await page.check('#client-load');
      await page.click('#play');
    } },
};

async function rep(name, url) {
  const before = new Set(procTable().keys());
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ARGS });
  let pid = null;
  for (const [p, e] of procTable()) if (e.ppid === process.pid && !before.has(p)) pid = p;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript(RAF);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(ROWS[name].ready, null, { polling: 'raf', timeout: 30000 });
  await ROWS[name].setup(page);
  await sleep(1000);
  const f0 = await page.evaluate(() => window.__frames), c0 = treeTicks(pid), t0 = performance.now();
  await sleep(windowS * 1000);
  const c1 = treeTicks(pid), t1 = performance.now(), f1 = await page.evaluate(() => window.__frames);
  await browser.close();
  const w = (t1 - t0) / 1000;
  return { cpu: 100 * (c1 - c0) / CLK_TCK / w, frames: (f1 - f0) / w, errors };
}

const [a, rsUrl] = await serve(rsDir), [b, rrUrl] = await serve(rrDir);
const urls = [rsUrl, rrUrl];
const res = Object.fromEntries(Object.keys(ROWS).map(k => [k, []]));
for (let r = 0; r < reps; r++) for (const name of Object.keys(ROWS)) {
  const o = await rep(name, urls[ROWS[name].url]);
  res[name].push(o);
  console.error(`${name} rep ${r + 1}: CPU ${o.cpu.toFixed(1)} %, ${o.frames.toFixed(1)} frames/s${o.errors.length ? ', errors: ' + o.errors.join(' | ') : ''}`);
}
a.close(); b.close();
const med = xs => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const rs = med(res.raftscope.map(o => o.cpu));
console.log('| row (median of ' + reps + ') | CPU % all processes | frames/s | ratio to RaftScope | goal |');
console.log('|---|---|---|---|---|');
for (const [name, goal] of [['raftscope', ''], ['slow', '≤ 0.25'], ['busy', '≤ 1.0']]) {
  const c = med(res[name].map(o => o.cpu)), f = med(res[name].map(o => o.frames));
  console.log(`| ${name} | ${c.toFixed(1)} (${res[name].map(o => o.cpu.toFixed(1)).join(', ')}) | ${f.toFixed(1)} | ${(c / rs).toFixed(2)} | ${goal} |`);
}
