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
    await h.view(v);
    assert.equal(await page.getAttribute('.shell', 'data-module'), v, `the ${v} view's own module`);
    assert.equal(await page.locator('[role=tab][aria-selected=true]').getAttribute('id'), `tab-${v}`);
  }
  assert.match(await page.locator('.version').textContent(), /ringraft v\d+\.\d+\.\d+/);
  await h.shot('shell');
  assert.deepEqual(h.errors, []);
});

test('each view loads only its own wasm module; switching views loads the next one and keeps the state', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  const fetched = [];
  page.on('request', r => { const m = r.url().match(/ringraft-(raft|ring|cluster)[-_.][^/]*$/); if (m) fetched.push(r.url().split('/').pop()); });
  await h.open('?view=ring', page);
  await page.waitForSelector('#ring-canvas');
  const modules = (list) => [...new Set(list.map(f => f.match(/ringraft-(raft|ring|cluster)/)[1]))];
  assert.deepEqual(modules(fetched), ['ring'], `fetched ${fetched}`);
  assert.ok(fetched.some(f => f.endsWith('.wasm')), 'the ring module\'s wasm');
  // A ring change, then the cluster view and back: the ring's state travels in the address.
  await page.click('#ring-add-node');
  await page.waitForSelector('#ring-nodes tbody tr:nth-child(5)');
  fetched.length = 0;
  await h.view('cluster', page);
  await page.waitForSelector('.cluster [data-server="A"]');
  assert.deepEqual(modules(fetched), ['cluster'], `fetched ${fetched}`);
  assert.equal(await page.getAttribute('.shell', 'data-module'), 'cluster');
  await h.view('ring', page);
  await page.waitForSelector('#ring-canvas');
  assert.equal(await page.locator('#ring-nodes tbody tr').count(), 5, 'the added node is still there');
  // The view's own style sheet came with its module.
  assert.equal(await page.$eval('.ring-view', el => getComputedStyle(el).display), 'flex');
  await page.close();
});

test('a module that cannot be loaded is said in the page', async () => {
  const page = await h.context.newPage();
  await page.route(/ringraft-cluster-[0-9a-f]+\.js$/, r => r.fulfill({ status: 404, body: 'gone' }));
  const seen = [];
  page.on('console', m => { if (m.type() === 'error') seen.push(m.text()); });
  await page.goto(h.server.url + '?view=cluster');
  await page.waitForSelector('.load-error[role=alert]');
  assert.match(await page.textContent('.load-error'), /could not load .*ringraft-cluster-[0-9a-f]+\.js/);
  assert.ok(seen.length > 0, 'and logged');
  await page.close();
  // The wasm itself missing (fetched beside the JS): the same message.
  const other = await h.context.newPage();
  await other.route(/ringraft-ring-[0-9a-f]+_bg\.wasm$/, r => r.fulfill({ status: 404, body: 'gone' }));
  other.on('console', () => {});
  await other.goto(h.server.url + '?view=ring');
  await other.waitForSelector('.load-error[role=alert]');
  assert.match(await other.textContent('.load-error'), /could not load .*ringraft-ring-[0-9a-f]+\.js.*404/);
  await other.close();
});

test('the share panel confirms a copy, and forgets it when closed', async () => {
  const page = await h.open('');
  await page.waitForSelector('[data-node]');
  await page.click('#share-open');
  assert.equal(await page.locator('#share-panel .copied').count(), 0);
  await page.click('#share-copy');
  assert.match(await page.textContent('#share-panel .copied'), /Link copied/);
  await page.click('#embed-copy');
  assert.match(await page.textContent('#share-panel .copied'), /Embed code copied/);
  await page.click('#share-panel .close');
  assert.equal(await page.locator('#share-panel').count(), 0);
  await page.click('#share-open');
  assert.equal(await page.locator('#share-panel .copied').count(), 0, 'a fresh panel has no old notice');
});
