// Import benchmark (issue 18): how long the main thread is blocked when a
// person imports a large scenario file. For files of ~270 KB and ~1 MB (9
// servers with long initial logs whose entries carry commands) it prints
// every long task (> 50 ms, PerformanceObserver) from the input's change
// event to the servers drawn from it, the longest, and the wall time.
//
// A benchmark, not a test: figures move with the machine's load.
//   node tests/e2e/bench-import.mjs [--reps N]
import { start } from './harness.mjs';

const reps = +(process.argv[process.argv.indexOf('--reps') + 1] || 2) || 2;

function scenario(entries) {
  const log = Array.from({ length: entries }, (_, i) => ({ term: 1 + Math.floor(i / 100), command: { op: 'set', key: `key${i % 50}`, value: `value-${i}` } }));
  return { name: `import ${entries}`, nodes: 9, seed: 1, initial: Array.from({ length: 9 }, () => ({ term: 1 + Math.floor(entries / 100), log })) };
}

const files = [['270 KB', scenario(460)], ['1 MB', scenario(1_650)]].map(([name, sc]) => [name, Buffer.from(JSON.stringify(sc))]);
const h = await start();
const out = [];
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, buf] of files) {
      const page = await h.open('');
      await page.waitForSelector('[data-node]');
      await page.evaluate(() => {
        // Counted from the input's change event: the task before it is
        // Playwright handing the file to the page, which a person's file
        // choice does not cost.
        window.__long = [];
        document.addEventListener('change', () => { window.__changed = performance.now(); }, true);
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, Math.round(e.duration)]); }).observe({ type: 'longtask' });
        // Blocks under the long-task API's 50 ms: the widest gap between two
        // messages a channel keeps posting to itself is the longest task
        // (or frame) that ran in between.
        window.__gaps = [];
        let last = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { const n = performance.now(); window.__gaps.push([last, n - last]); last = n; if (!window.__stop) ch.port2.postMessage(0); };
        ch.port2.postMessage(0);
      });
      const t0 = Date.now();
      await page.setInputFiles('#import', { name: 'big.json', mimeType: 'application/json', buffer: buf });
      await page.waitForSelector('[data-node="9"], #import-error', { state: 'attached', timeout: 60000 });
      const refused = await page.evaluate(() => document.querySelector('#import-error')?.textContent);
      if (refused) throw new Error(`${name}: ${refused}`);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300))));
      const wall = Date.now() - t0;
      const long = await page.evaluate(() => window.__long.filter(([t]) => t > window.__changed).map(([, d]) => d));
      const block = await page.evaluate(() => { window.__stop = true; return Math.round(Math.max(0, ...window.__gaps.filter(([t]) => t >= window.__changed).map(([, d]) => d))); });
      out.push({ file: name, bytes: buf.length, rep, long_tasks_ms: long, longest_ms: Math.max(0, ...long), longest_block_ms: block, wall_ms: wall });
    }
  }
} finally {
  await h.stop();
}
console.log(JSON.stringify({ results: out, errors: h.errors }, null, 1));
