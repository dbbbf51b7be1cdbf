// Benchmark (not part of the test command): 64 nodes × 256 vnodes, 10 000
// keys; add a 65th node and time every animation frame's script.
// Usage: node tests/e2e/bench-ring.mjs   (after `trunk build --release`)
import { start } from './harness.mjs';

const h = await start();
const page = h.page;
// Time each requestAnimationFrame callback (the app's per-frame script).
await page.addInitScript(() => {
  const raf = window.requestAnimationFrame.bind(window);
  window.__frames = [];
  window.requestAnimationFrame = cb => raf(t => {
    const t0 = performance.now();
    try { cb(t); } finally { window.__frames.push({ at: t0, ms: performance.now() - t0 }); }
  });
});
await h.open();
await h.view('ring');
await page.waitForSelector('#ring-canvas');
await page.emulateMedia({ reducedMotion: 'reduce' }); // setup without animations
await page.fill('#ring-vnodes', '256');
await page.press('#ring-vnodes', 'Enter');
const addTimes = [];
for (let n = 4; n < 64; n++) {
  const t = await page.evaluate(() => {
    const t0 = performance.now();
    document.querySelector('#ring-add-node').click(); // Yew re-renders synchronously for the reducer? measure until DOM shows it
    return t0;
  });
  await page.waitForFunction(k => document.querySelector('#ring-view').dataset.nodes === String(k), n + 1);
  addTimes.push(await page.evaluate(t0 => performance.now() - t0, t));
}
const stats = a => {
  const s = [...a].sort((x, y) => x - y);
  const q = p => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +s[s.length - 1].toFixed(2) };
};
await page.emulateMedia({ reducedMotion: 'no-preference' });
const results = [];
for (let run = 0; run < 3; run++) {
  await page.evaluate(() => { window.__frames = []; });
  const t0 = await page.evaluate(() => { const t = performance.now(); document.querySelector('#ring-add-node').click(); return t; });
  await page.waitForFunction(() => document.querySelector('#ring-canvas').dataset.animating === 'true', null, { timeout: 10000 });
  const started = await page.evaluate(t => performance.now() - t, t0);
  await page.waitForFunction(() => document.querySelector('#ring-canvas').dataset.animating === 'false', null, { timeout: 10000 });
  const frames = await page.evaluate(() => window.__frames);
  const gaps = frames.slice(1).map((f, i) => f.at - frames[i].at);
  const moved = await page.locator('#ring-moved').getAttribute('data-moved');
  results.push({ nodes: await page.locator('#ring-view').getAttribute('data-nodes'), moved: Number(moved),
    click_to_animation_ms: +started.toFixed(1), frame_script_ms: stats(frames.map(f => f.ms)), frame_interval_ms: stats(gaps) });
  // Remove it again for the next run (reduced motion: no animation).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.click(`.ring-remove-node[data-node="${await page.locator('#ring-nodes tbody tr:last-child').getAttribute('data-node')}"]`);
  await page.waitForFunction(() => document.querySelector('#ring-view').dataset.nodes === '64');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
}
// Idle: nothing scheduled once the animation is over.
await page.evaluate(() => { window.__frames = []; });
await page.waitForTimeout(500);
const idleFrames = await page.evaluate(() => window.__frames.length);
console.log(JSON.stringify({ setup_add_node_ms: stats(addTimes.slice(-20)), runs: results, idle_frames_in_500ms: idleFrames,
  errors: h.errors }, null, 2));
await h.shot('bench-ring');
await h.stop();
