// Hostile links against the built dist/, measured (issue 18): for each of N
// seeded, mutated links, the longest main-thread task while the page opens
// and works on it (PerformanceObserver "longtask"), the largest wasm memory
// any module grew to, whether the page ended usable (a view drawn, no
// uncaught error), and how long it took. Prints one JSON summary.
//
//   node tests/e2e/bench-fuzz.mjs [--links N] [--seed S] [--settle-ms MS]
//
// A benchmark, not a test: figures move with the machine's load.
import { start } from './harness.mjs';

const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? +process.argv[i + 1] : d;
};
const N = arg('--links', 200);
let seed = arg('--seed', 1) >>> 0;
const SETTLE_MS = arg('--settle-ms', 4000);

// xorshift32: the same links for the same seed.
const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 4294967296; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const b64 = (o) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');

const PRESETS = ['leader-election', 'split-vote', 'figure-8', 'minority-partition', 'add-server', 'install-snapshot',
  'stale-lease-read', 'joint-change', 'nope', ''];
const BIG = ['0', '1', '300', '99999', '10000000', '99999999999', '18446744073709551616', '-5', '1e9', 'x'];

function scenario() {
  const dense = rnd() < 0.5;
  return {
    name: 'fuzz', nodes: int(0, 12), seed: int(0, 1e6),
    timing: dense ? { election_min_ms: int(0, 3), election_max_ms: int(1, 4), heartbeat_ms: int(0, 2) }
      : { election_min_ms: int(50, 300), election_max_ms: int(300, 600), heartbeat_ms: int(10, 100) },
    network: { latency_min_ms: int(0, 2), latency_max_ms: int(0, 30), loss: rnd() < 0.3 ? rnd() : 0 },
    client_load: rnd() < 0.6 ? { interval_ms: int(0, 5), keys: int(0, 9) } : undefined,
    raft: rnd() < 0.3 ? { snapshot_threshold: int(0, 20), pre_vote: rnd() < 0.5 } : undefined,
    actions: Array.from({ length: int(0, 6) }, () => ({ at_ms: int(0, 5000), action: pick([
      { type: 'crash_leader' }, { type: 'add_server', node: int(0, 11) }, { type: 'remove_server', node: int(1, 9) },
      { type: 'partition', groups: [[1, 2], [3]] }, { type: 'heal' }, { type: 'set_clock_drift', node: 1, rate: rnd() * 3 },
    ]) })),
  };
}

function mutate(s) {
  const chars = [...s];
  for (let k = int(0, 3); k > 0; k--) {
    const i = int(0, Math.max(0, chars.length - 1));
    const op = int(0, 2);
    if (op === 0) chars.splice(i, 1);
    else if (op === 1) chars.splice(i, 0, pick(['&', '=', '%', 'e', '9', '\u0000', '%FF', '?', 'view=']));
    else chars[i] = pick(['0', 'x', '&', '=']);
  }
  return chars.join('');
}

function link() {
  const parts = [];
  const view = pick(['raft', 'raft', 'raft', 'ring', 'cluster', 'bogus', null]);
  if (view) parts.push(`view=${view}`);
  if (rnd() < 0.6) parts.push(`p=${pick(PRESETS)}`);
  if (rnd() < 0.4) parts.push(`s=${rnd() < 0.1 ? 'AAAA' : b64(scenario())}`);
  if (rnd() < 0.4) parts.push(`e=${pick(BIG)}`);
  if (rnd() < 0.4) parts.push(`t=${pick(BIG)}`);
  if (rnd() < 0.2) parts.push(`x=1`);
  if (rnd() < 0.2) parts.push(`embed=1`);
  if (rnd() < 0.2) parts.push(`lang=${pick(['zh', 'en', 'fr'])}`);
  if (rnd() < 0.15) parts.push(`a=${b64([[1, int(0, 1e6), { type: 'heal' }]])}`);
  if (rnd() < 0.1) parts.push(`view=${pick(['ring', 'raft'])}`);
  if (rnd() < 0.1) parts.push(`ring=${'x'.repeat(int(0, 70000))}`);
  const q = '?' + parts.join('&');
  // Mutations keep the leading '?': a broken path is the server's 404, not the page's input.
  return rnd() < 0.3 ? '?' + mutate(q.slice(1)) : q;
}

const INIT = `
  window.__long = 0; window.__mem = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long = Math.max(window.__long, e.duration); })
    .observe({ type: 'longtask', buffered: true });
  for (const f of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[f];
    WebAssembly[f] = async function (...a) {
      const r = await orig.apply(this, a);
      const inst = r.instance || r;
      for (const v of Object.values(inst.exports || {})) if (v instanceof WebAssembly.Memory) window.__mem.push(v);
      return r;
    };
  }
`;

let h = await start({ viewport: { width: 1280, height: 900 } });
const results = [];
// A browser that died (a renderer or the browser process) is a finding: the
// link it died on is recorded, and a fresh browser takes the next one.
const browser_deaths = [];
let last = null;
for (let i = 0; i < N; i++) {
  const q = link();
  process.stderr.write(`${i} ${q.slice(0, 200)}\n`);
  let page;
  try {
    page = await h.context.newPage();
  } catch (e) {
    browser_deaths.push({ before: i, previous_link: last && last.slice(0, 300), error: String(e).split('\n')[0] });
    await h.stop().catch(() => {});
    h = await start({ viewport: { width: 1280, height: 900 } });
    page = await h.context.newPage();
  }
  last = q;
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(INIT);
  const t0 = Date.now();
  let drawn = false;
  try {
    await page.goto(h.server.url + q, { timeout: 20000 });
    await page.waitForSelector('main.pane', { timeout: 20000 });
    // Let far positions and dense runs work for a while, then stop them.
    await page.waitForTimeout(SETTLE_MS);
    // (The catch-up may end between the look and the click: then there is nothing to stop.)
    await page.click('#catchup-cancel', { timeout: 2000 }).catch(() => {});
    drawn = await page.evaluate(() => !!document.querySelector('main.pane svg, main.pane [data-node], main.pane .error, main.pane [role=alert]'));
  } catch (e) {
    errors.push('harness: ' + String(e).split('\n')[0]);
  }
  // Still answering input: a task queued now runs within this long.
  const answer_ms = await page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); })).catch(() => -1);
  if (answer_ms < 0 || answer_ms > 1000) errors.push(`not answering input (${answer_ms} ms)`);
  const m = await page.evaluate(() => ({ long: window.__long, mem: Math.max(0, ...window.__mem.map((x) => x.buffer.byteLength)) })).catch(() => ({ long: -1, mem: -1 }));
  if (crashed) errors.push('renderer crashed');
  results.push({ q, ms: Date.now() - t0, answer_ms: Math.round(answer_ms), longest_task_ms: m.long, wasm_mb: +(m.mem / 1048576).toFixed(1), drawn, errors: errors.slice(0, 2) });
  await page.close().catch(() => {});
}
await h.stop().catch(() => {});
const by = (k) => [...results].sort((a, b) => b[k] - a[k]);
const summary = {
  links: N,
  seed: arg('--seed', 1),
  worst_main_thread_block_ms: by('longest_task_ms')[0]?.longest_task_ms,
  p95_main_thread_block_ms: by('longest_task_ms')[Math.floor(N * 0.05)]?.longest_task_ms,
  worst_input_wait_after_settle_ms: by('answer_ms')[0]?.answer_ms,
  peak_wasm_memory_mb: by('wasm_mb')[0]?.wasm_mb,
  not_drawn: results.filter((r) => !r.drawn).length,
  with_errors: results.filter((r) => r.errors.length).length,
  browser_deaths,
  worst_blocks: by('longest_task_ms').slice(0, 3),
  largest_memory: by('wasm_mb').slice(0, 2),
  failures: results.filter((r) => !r.drawn || r.errors.length).slice(0, 5),
};
// The full links behind the figures, for replaying one by hand.
const short = (r) => ({ ...r, q: r.q.slice(0, 160) });
for (const k of ['worst_blocks', 'largest_memory', 'failures']) summary[k] = summary[k].map(short);
if (process.env.FUZZ_LINKS) (await import('node:fs')).writeFileSync(process.env.FUZZ_LINKS, by('longest_task_ms').slice(0, 10).map((r) => r.q).join('\n') + '\n');
console.log(JSON.stringify(summary, null, 1));
