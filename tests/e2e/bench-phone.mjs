// Benchmark (not part of the test command), issue 17 goal 3: the first screen
// on a phone, RaftScope and ringraft in one run, reps interleaved.
//
//   node tests/e2e/bench-phone.mjs RAFTSCOPE_DIR [DIST] [--reps 3]
//
// Each rep in a fresh headless Chromium under Lighthouse's mobile profile
// (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4x), files served
// gzip'd as a docs host does. From navigation start:
//   drawn        5 servers on screen (RaftScope: `svg .server`;
//                ringraft: `[data-node]` with a size: the first picture
//                pre-rendered into index.html counts, as a person sees it)
//   interactive  Play works: ringraft's Play, tapped where it is drawn as
//                soon as it is (the first picture keeps the tap), reports playing (aria-pressed)
//                on a picture a module runs: the first picture once the
//                first screen's module has taken it over (`#prerender[data-live]`,
//                src/ui/raft/first.rs) or the Raft module's own page
//                (`.shell[data-module]`); RaftScope's playback object
//                answers isPaused() (its page plays on load)
//   whole page   ringraft only: the Raft module has mounted (every control works)
// The goals: drawn <= 1.0x RaftScope's, interactive <= 1.3x.
import { chromium } from 'playwright-core';
import { serveGzip as serve, ARGS } from './harness.mjs';
import { resolve } from 'node:path';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const pos = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
if (!pos[0]) { console.error('usage: bench-phone.mjs RAFTSCOPE_DIR [DIST] [--reps N]'); process.exit(2); }
const dirs = { raftscope: resolve(pos[0]), ringraft: resolve(pos[1] ?? 'dist') };
const reps = +opt('--reps', '3');


const APPS = {
  raftscope: {
    drawn: () => document.querySelectorAll('svg .server').length >= 5,
    interactive: () => typeof window.playback?.isPaused === 'function' && window.playback.isPaused() === false,
    async poke() {},
  },
  ringraft: {
    // Drawn: five servers on screen, the first picture in index.html
    // (scripts/prerender.mjs) or the module's.
    drawn: () => [...document.querySelectorAll('[data-node]')].filter((n) => n.getBoundingClientRect().width > 0).length >= 5,
    // A module's picture plays: the first screen's module on the first
    // picture, or the Raft module's page.
    interactive: () => !!document.querySelector('#prerender[data-live] .primary[aria-pressed=true]')
      || (!!document.querySelector('.shell[data-module]') && document.querySelector('#play')?.getAttribute('aria-pressed') === 'true'),
    whole: () => !!document.querySelector('.shell[data-module]'),
    // Tap Play as a person would, where it is drawn, the moment it is
    // there: on the first picture (the page keeps the tap and presses the
    // module's own Play once it has drawn) or on the module's page.
    async poke(page) {
      const at = () => {
        const b = [...document.querySelectorAll('#prerender .primary, #play')].find((e) => e.getBoundingClientRect().width > 0);
        const r = b?.getBoundingClientRect();
        return r && { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      };
      const box = await (await page.waitForFunction(at, null, { polling: 'raf', timeout: 60000 })).jsonValue();
      await page.mouse.click(box.x, box.y);
    },
  },
};

async function rep(name, url) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ARGS });
  const page = await (await browser.newContext({ viewport: { width: 412, height: 823 } })).newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const app = APPS[name];
  await page.goto(url, { waitUntil: 'commit', timeout: 60000 });
  const drawn = page.waitForFunction(app.drawn, null, { polling: 'raf', timeout: 60000 }).then(() => page.evaluate(() => performance.now()));
  await app.poke(page);
  await page.waitForFunction(app.interactive, null, { polling: 'raf', timeout: 60000 });
  const interactive = await page.evaluate(() => performance.now());
  const out = { drawn: await drawn, interactive };
  if (app.whole) {
    await page.waitForFunction(app.whole, null, { polling: 'raf', timeout: 60000 });
    out.whole = await page.evaluate(() => performance.now());
  }
  await browser.close();
  return out;
}

const served = Object.fromEntries(await Promise.all(Object.entries(dirs).map(async ([k, d]) => [k, await serve(d)])));
const res = { raftscope: [], ringraft: [] };
for (let r = 0; r < reps; r++) for (const name of Object.keys(res)) {
  const o = await rep(name, served[name][1]);
  res[name].push(o);
  console.error(`${name} rep ${r + 1}: drawn ${o.drawn.toFixed(0)} ms, interactive ${o.interactive.toFixed(0)} ms${o.whole ? `, whole page ${o.whole.toFixed(0)} ms` : ''}`);
}
Object.values(served).forEach(([s]) => s.close());
const med = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log('| phone profile (median of ' + reps + ') | RaftScope | ringraft | ratio | goal |');
console.log('|---|---|---|---|---|');
for (const [k, goal] of [['drawn', '≤ 1.0'], ['interactive', '≤ 1.3']]) {
  const a = med(res.raftscope.map(o => o[k])), b = med(res.ringraft.map(o => o[k]));
  console.log(`| ${k} ms | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} | ${goal} |`);
}
console.log(`| whole page ms (the Raft module mounted) | – | ${med(res.ringraft.map(o => o.whole)).toFixed(0)} | – | – |`);
