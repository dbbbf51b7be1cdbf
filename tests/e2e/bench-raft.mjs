// Benchmark (not part of the test command): 9 servers under client load,
// played at full speed (1× real time) in headless Chromium. Reports script
// time per animation frame measured inside the page (rAF callback → render
// done, window.__ringraftFrameTimes), CDP ScriptDuration per frame, the JS
// heap, and how far the simulation got.  Usage: node tests/e2e/bench-raft.mjs [seconds]
import { start } from './harness.mjs';

const SECONDS = +(process.argv[2] || 10);
const h = await start({ viewport: { width: 1280, height: 900 } });
const page = await h.open();
await page.waitForSelector('[data-node]');
await page.selectOption('#cluster-size', '9');
await page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 9);
await page.check('#client-load');
await page.$eval('#speed', el => { el.value = '0'; el.dispatchEvent(new Event('input', { bubbles: true })); });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map(m => [m.name, m.value]));

await page.click('#play');
await page.waitForTimeout(1500); // warm up: first election, JIT
await page.evaluate(() => { window.__ringraftFrameTimes = []; window.__ringraftFrameTags = []; });
const e0 = +(await page.getAttribute('#event-count', 'data-event'));
const m0 = await metrics();
const t0 = Date.now();
await page.waitForTimeout(SECONDS * 1000);
const m1 = await metrics();
const wall = (Date.now() - t0) / 1000;
const times = await page.evaluate(() => window.__ringraftFrameTimes.slice());
const tags = await page.evaluate(() => window.__ringraftFrameTags.slice());
const e1 = +(await page.getAttribute('#event-count', 'data-event'));
await page.click('#play');
// Paused: no frames at all.
await page.evaluate(() => { window.__ringraftFrameTimes = []; });
const p0 = await metrics();
await page.waitForTimeout(2000);
const p1 = await metrics();
const pausedFrames = await page.evaluate(() => window.__ringraftFrameTimes.length);
const logLens = await page.$$eval('[data-node]', els => els.map(e => +e.dataset.logLen));
await h.shot('bench-raft');

const sorted = times.slice().sort((a, b) => a - b);
const q = p => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const frames = times.length;
const r = {
  frames, fps: +(frames / wall).toFixed(1),
  frame_script_ms: { median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +sorted[sorted.length - 1].toFixed(2) },
  cdp_script_ms_per_frame: +(((m1.ScriptDuration - m0.ScriptDuration) * 1000) / frames).toFixed(2),
  cdp_task_ms_per_frame: +(((m1.TaskDuration - m0.TaskDuration) * 1000) / frames).toFixed(2),
  js_heap_used_mb: +(m1.JSHeapUsedSize / 1048576).toFixed(2),
  js_heap_total_mb: +(m1.JSHeapTotalSize / 1048576).toFixed(2),
  events_per_wall_s: Math.round((e1 - e0) / wall),
  log_lengths: logLens,
  paused: { frames_in_2s: pausedFrames, script_ms_in_2s: +(((p1.ScriptDuration - p0.ScriptDuration) * 1000)).toFixed(2) },
  by_panel_group: Object.fromEntries([-1, 0, 1, 2, 3, 4].map(g => {
    const t = times.filter((_, i) => tags[i] === g).sort((a, b) => a - b);
    const name = ['cluster only', 'controls', 'side panels', 'logs', 'space-time', 'feed'][g + 1];
    return [name, { frames: t.length, median: +(t[Math.floor(t.length / 2)] || 0).toFixed(2), p95: +(t[Math.floor(t.length * 0.95)] || 0).toFixed(2) }];
  })),
  errors: h.errors,
};
console.log(JSON.stringify(r, null, 2));
await h.stop();
