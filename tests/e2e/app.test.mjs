// App-level behaviour: shared links, hostile links, embedding, the tour, Chinese UI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h?.stop(); });

/** Every data-* attribute under <main> (minus timing figures): the rendered state. */
async function renderedState(page) {
  return page.evaluate(() => {
    const skip = /^data-(compute|render|draw)-ms$/;
    const out = [];
    for (const el of document.querySelectorAll('main *')) {
      // Sorted per element: Yew may patch attributes in another order than it first wrote them.
      const attrs = [...el.attributes].filter(a => a.name.startsWith('data-') && !skip.test(a.name))
        .map(a => `${a.name}=${a.value}`).sort();
      if (attrs.length) out.push(`${el.tagName}[${attrs.join(' ')}]`);
    }
    return out.join('\n');
  });
}

test('a hostile link shows a clear message, injects nothing and falls back to defaults', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  let dialogs = 0;
  page.on('dialog', d => { dialogs++; d.dismiss(); });
  await h.open('?view=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&speed=abc&s=!!!&lang=xx&zzz=1', page);
  const banner = page.locator('#link-error');
  await banner.waitFor();
  const text = await banner.textContent();
  for (const p of ['view', 'speed', 's', 'lang', 'zzz']) assert.match(text, new RegExp(`“${p}”`));
  assert.equal(await page.locator('#link-error img').count(), 0, 'no markup injected');
  assert.equal(await page.locator('[role=tab][aria-selected=true]').getAttribute('id'), 'tab-raft', 'default view');
  await page.click('#link-error .dismiss');
  assert.equal(await page.locator('#link-error').count(), 0);
  assert.equal(dialogs, 0);
  await h.shot('hostile-link', page);
  await page.close();
});

/** Wait until the ring view's debounced sweep and key animation are done. */
async function ringSettled(page) {
  await page.waitForSelector('#ring-moved[data-moved]');
  await page.waitForFunction(() => document.querySelector('#ring-sweep')?.dataset.stale !== 'true'
    && document.querySelector('#ring-canvas')?.dataset.animating !== 'true', null, { timeout: 15000 });
}

test('a shared ring link reproduces the exact state in a fresh page', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=ring', page);
  await page.click('#ring-add-node');
  await ringSettled(page);
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/docs\/ringraft\/\?/);
  assert.match(await page.locator('#embed-snippet').inputValue(), /^<iframe src="[^"]*embed=1/);
  const before = await renderedState(page);
  const fresh = await h.context.newPage();
  h.watch(fresh);
  await fresh.goto(url);
  await ringSettled(fresh);
  assert.equal(await renderedState(fresh), before);
  await h.shot('shared-ring-link', fresh);
  await page.close(); await fresh.close();
});

test('the embed example page loads all three figures from a sub-path', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await page.goto(h.server.url + 'embed-example.html');
  for (const id of ['fig-election', 'fig-figure8', 'fig-ring']) {
    const frame = page.frameLocator(`#${id}`);
    await frame.locator('.shell.embed').waitFor({ timeout: 20000 });
    assert.equal(await frame.locator('header.top').count(), 0, `${id}: minimal chrome`);
  }
  await page.frameLocator('#fig-ring').locator('#ring-moved[data-moved]').waitFor();
  await h.shot('embed-example', page);
  await page.close();
});

test('the tour forward to the end then back to the start ends where it began', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('', page);
  await page.click('#tour-start');
  await page.waitForSelector('#tour-panel[data-tour-pos="0.0"]');
  const first = await renderedState(page);
  const positions = [];
  for (;;) {
    positions.push(await page.locator('#tour-panel').getAttribute('data-tour-pos'));
    const label = await page.locator('#tour-next').textContent();
    if (/Finish/.test(label)) break;
    await page.click('#tour-next');
    await page.waitForFunction(p => document.querySelector('#tour-panel')?.dataset.tourPos !== p, positions.at(-1));
    await h.settled(page);
  }
  assert.ok(positions.length >= 8, `the tour has many steps (${positions.length})`);
  await h.shot('tour-last', page);
  for (let i = positions.length - 1; i > 0; i--) {
    await page.click('#tour-back');
    await page.waitForSelector(`#tour-panel[data-tour-pos="${positions[i - 1]}"]`);
    await h.settled(page);
  }
  assert.equal(await renderedState(page), first, 'the first step renders exactly as before');
  await page.click('#tour-leave');
  assert.equal(await page.locator('#tour-panel').count(), 0);
  await page.close();
});

test('the Chinese UI has no untranslated strings in any view', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?lang=zh', page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  // Words allowed in Chinese text: names, units, algorithm names, protocol vocabulary.
  const allowed = new Set(['ringraft', 'Raft', 'RequestVote', 'AppendEntries', 'PreVote', 'CheckQuorum', 'TimeoutNow', 'Maglev', 'mod', 'hash', 'key', 'English',
    'ms', 'sd', 'max', 'min', 'ok', 'vnode', 'vnodes', 'TLA', 'CAS', 'cas', 'set', 'delete', 'no-op', 'noop', 'JSON', 'ID', 'id',
    // sample key names the cluster view writes (data, not UI text):
    'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar',
    'nextIndex', 'matchIndex', 'commitIndex', 'lastApplied', 'currentTerm', 'votedFor', 'log', 'shard', 'Lamport', 'XXH3']);
  for (const view of ['raft', 'ring', 'cluster']) {
    await h.view(view, page);
    const words = await h.visibleWords(page);
    const bad = [...new Set(words.filter(w => !allowed.has(w) && !/^(key|k)-?\d*$/.test(w)))];
    assert.deepEqual(bad, [], `${view}: untranslated words`);
    await h.shot(`zh-${view}`, page);
  }
  await page.close();
});

test('Chinese text loads only when needed: not for English, fetched on switching, a failed fetch is said and English kept', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  const fetched = [];
  page.on('request', r => { if (r.url().endsWith('/zh.json')) fetched.push(r.url()); });
  await h.open('?lang=en', page);
  await page.waitForSelector('#tab-ring');
  assert.equal(fetched.length, 0, 'an English page does not download Chinese');
  assert.equal((await page.textContent('#tab-ring')).trim(), 'Hash ring');
  await page.selectOption('#lang-select', 'zh');
  await page.waitForFunction(() => document.querySelector('#tab-ring').textContent.trim() === '哈希环');
  assert.equal(fetched.length, 1);
  assert.ok(fetched[0].includes('/docs/ringraft/zh.json'), 'fetched next to index.html (relative URL)');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.close();

  // zh.json unreachable: the page says so, in English, and keeps working.
  const broken = await h.context.newPage();
  const seen = [];
  broken.on('pageerror', e => seen.push(e.message));
  await broken.route('**/zh.json', r => r.fulfill({ status: 404, body: 'gone' }));
  await broken.goto(h.server.url + '?lang=zh');
  await broken.waitForSelector('#lang-error', { timeout: 20000 });
  assert.match(await broken.textContent('#lang-error'), /Chinese text could not be loaded \(zh\.json: HTTP 404\); the page stays in English/);
  assert.equal((await broken.textContent('#tab-ring')).trim(), 'Hash ring');
  assert.equal(await broken.getAttribute('html', 'lang'), 'en');
  await broken.click('#lang-error .dismiss');
  assert.equal(await broken.locator('#lang-error').count(), 0);
  assert.deepEqual(seen, []);
  await broken.close();
});

test('a shared Raft link reproduces the exact state (actions, position) in a fresh page', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=raft', page);
  await page.waitForSelector('[data-node="1"]');
  await page.locator('body').focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await page.click('[data-node="3"]');
  await page.click('#menu-crash');
  for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowRight');
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  assert.match(url, /[?&]a=/, 'the link carries the actions');
  assert.match(url, /[?&]e=\d+/, 'the link carries the position');
  const before = await renderedState(page);
  const count = await page.textContent('#event-count');
  const fresh = await h.context.newPage();
  h.watch(fresh);
  await fresh.goto(url);
  await fresh.waitForSelector('[data-node="1"]');
  assert.equal(await fresh.textContent('#event-count'), count);
  assert.equal(await renderedState(fresh), before);
  assert.equal(await fresh.getAttribute('[data-node="3"]', 'data-alive'), 'false');
  await h.shot('shared-raft-link', fresh);
  await page.close(); await fresh.close();
});

test('keyboard only: force an election and step until a leader is elected', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=raft&p=leader-election', page);
  await page.waitForSelector('[data-node="1"]');
  let found = false;
  for (let i = 0; i < 120 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.dataset?.node === '2');
  }
  assert.ok(found, 'S2 is reachable with Tab');
  const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement.querySelector('.body')).filter);
  assert.match(focusRing, /drop-shadow/, 'focus is visible on the node');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#node-menu[data-menu-node="2"]');
  found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.id === 'menu-timeout');
  }
  assert.ok(found, 'the menu is reachable with Tab');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 200; i++) {
    if (await page.locator('[data-node="2"][data-role="leader"]').count()) break;
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowRight');
  }
  assert.equal(await page.getAttribute('[data-node="2"]', 'data-role'), 'leader', 'S2 won the election it started');
  await h.shot('keyboard-election', page);
  await page.close();
});

test('the ring scenario library loads each scenario and puts it in the link', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=ring', page);
  const ids = await page.$$eval('#ring-preset option', os => os.map(o => o.value).filter(Boolean));
  assert.ok(ids.length >= 5, `scenarios listed: ${ids}`);
  for (const id of ids) {
    await page.selectOption('#ring-preset', id);
    await ringSettled(page).catch(() => {});
    const err = (await page.locator('#ring-error').count()) ? await page.textContent('#ring-error') : '';
    assert.equal(err.trim(), '', `${id}: no error`);
  }
  await page.selectOption('#ring-preset', 'remove');
  await ringSettled(page);
  assert.equal(await page.getAttribute('#ring-view', 'data-nodes'), '4');
  assert.ok(+(await page.getAttribute('#ring-moved', 'data-moved')) > 0);
  await page.selectOption('#ring-preset', 'modn');
  await page.waitForSelector('#compare-table tr[data-algo="modn"]');
  const modn = +(await page.getAttribute('#compare-table tr[data-algo="modn"]', 'data-moved-fraction'));
  assert.ok(modn > 0.75 && modn < 0.85, `mod-N moves ${modn}`);
  assert.match(page.url(), /[?&]ring=/, 'the address bar carries the ring state');
  await page.close();
});

test('switching views and back resumes the Raft run where it was, even while playing', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=raft&p=leader-crash', page);
  await page.waitForSelector('[data-node="1"]');
  await page.click('#play');
  await page.waitForTimeout(800);
  const shown = +(await page.textContent('#event-count')).match(/\d+/)[0];
  await h.view('ring', page);
  await h.view('raft', page);
  await page.waitForSelector('[data-node="1"]');
  const back = +(await page.textContent('#event-count')).match(/\d+/)[0];
  assert.ok(shown > 0 && back >= shown, `resumed at event ${back}, left at ≥ ${shown}`);
  await page.close();
});

test('a shared cluster link reproduces the exact state in a fresh page', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=cluster', page);
  await page.waitForSelector('[data-server="B"]');
  await page.click('[data-server="B"] button[data-action="crash"]');
  await page.click('#cluster-settle');
  await page.click('[data-server="D"] button[data-action="isolate"]');
  await page.click('#cluster-settle');
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  assert.match(url, /[?&]cl=/, 'the link carries the cluster state');
  const before = await renderedState(page);
  const fresh = await h.context.newPage();
  h.watch(fresh);
  await fresh.goto(url);
  await fresh.waitForSelector('[data-server="B"][data-crashed="true"]');
  assert.equal(await renderedState(fresh), before);
  await h.shot('shared-cluster-link', fresh);
  await page.close(); await fresh.close();
});

test('export writes a readable scenario file that imports back to the same run', async () => {
  const page = await h.context.newPage();
  h.watch(page);
  await h.open('?view=raft&p=leader-crash', page);
  await page.waitForSelector('[data-node="1"]');
  await page.locator('body').focus();
  for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
  await page.click('[data-node="2"]');
  await page.click('#menu-crash');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const text = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
  assert.match(text, /^\{\n  "/, 'pretty-printed');
  const sc = JSON.parse(text);
  assert.ok(sc.actions.some(a => a.action.type === 'crash' && a.action.node === 2), 'the crash is in the file');
  await page.setInputFiles('#import', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction(() => document.querySelector('#event-count')?.dataset.event === '0');
  assert.equal(await page.locator('#import-error').count(), 0);
  await page.close();
});

test('no console errors across the app tests', () => {
  assert.deepEqual(h.errors, []);
});
