import { start } from './harness.mjs';
import { readFileSync } from 'node:fs';
const h = await start({ viewport: { width: 1280, height: 1000 } });
const page = await h.open('?p=leader-election');
await page.waitForSelector('[data-node]');
await page.evaluate(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' }); });
for (const f of process.argv.slice(2)) {
  const t0 = Date.now();
  await page.setInputFiles('#import', { name: 'big.json', mimeType: 'application/json', buffer: readFileSync(f) });
  await page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 9 || document.querySelector('#import-error'), null, { timeout: 60000 });
  console.log(f, Date.now() - t0, 'ms', await page.evaluate(() => window.__long.splice(0)), await page.locator('#import-error').count() ? await page.textContent('#import-error') : '');
  await page.reload(); await page.waitForSelector('[data-node]');
  await page.evaluate(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' }); });
}
console.log(h.errors);
await h.stop();
