import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h?.stop(); });

test('the shell renders from a sub-path and the view switcher works', async () => {
  const page = await h.open();
  assert.match(await page.title(), /ringraft/);
  assert.equal(await page.locator('[role=tab]').count(), 3);
  assert.equal(await page.locator('[role=tab][aria-selected=true]').getAttribute('id'), 'tab-raft');
  for (const v of ['ring', 'cluster', 'raft']) {
    await page.click(`#tab-${v}`);
    await page.waitForSelector(`#pane-${v}`);
    assert.equal(await page.locator('[role=tab][aria-selected=true]').getAttribute('id'), `tab-${v}`);
  }
  assert.match(await page.locator('.version').textContent(), /ringraft v\d+\.\d+\.\d+/);
  await h.shot('shell');
  assert.deepEqual(h.errors, []);
});
