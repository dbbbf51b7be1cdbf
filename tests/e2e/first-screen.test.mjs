// The first picture pre-rendered into index.html (scripts/prerender.mjs,
// issue 17 goal 3): drawn before the module runs, exactly where the module
// then draws, and only where it is what the module will draw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { start, settled, ARGS } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 412, height: 823 } }); });
after(async () => { await h?.stop(); });

/** Holds the Raft module's wasm until `release()`: the page as it is before the module runs. */
async function held(page) {
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route(/ringraft-(raft|extended)-[0-9a-f]+_bg\.wasm$/, async (r) => { await gate; await r.continue(); });
  return release;
}

/** A new page at the default address, its module held: the first picture only. */
async function beforeModule(query = '') {
  const page = h.watch(await h.context.newPage());
  const release = await held(page);
  await page.goto(h.server.url + query);
  return [page, release];
}

const servers = (page) => page.$$eval('[data-node]', (ns) => ns.filter((n) => n.getBoundingClientRect().width > 0)
  .map((n) => { const b = n.getBoundingClientRect(); return [n.dataset.node, Math.round(b.x), Math.round(b.y), Math.round(b.width)]; }));

test('the first screen is drawn before the module runs, and the module draws over it in place', async () => {
  const [page, release] = await beforeModule();
  await page.waitForSelector('#prerender', { state: 'visible' });
  const before = await servers(page);
  assert.equal(before.length, 5, `five servers before any module runs: ${JSON.stringify(before)}`);
  assert.equal(await page.$('.shell[data-module]'), null, 'no module has run');
  assert.equal(await page.$eval('#prerender', (p) => p.inert), true, 'inert: a click waits for the live page');
  const playLook = await page.$eval('#prerender button.primary', (b) => [getComputedStyle(b).backgroundColor, b.getBoundingClientRect().width]);
  await h.shot('first-screen-before-module', page);
  release();
  await settled(page);
  assert.equal(await page.$('#prerender'), null, 'the first picture is gone');
  assert.equal(await page.locator('#play').count(), 1);
  assert.equal(await page.locator('.shell').count(), 1);
  // The same servers at the same places: nothing jumps when the module takes over.
  assert.deepEqual(await servers(page), before);
  // Styled as the live page is (the style sheet came before any module).
  assert.deepEqual(await page.$eval('#play', (b) => [getComputedStyle(b).backgroundColor, b.getBoundingClientRect().width]), playLook);
  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'true');
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('on a desktop screen the first picture is the module\'s first frame, pixel for pixel', async () => {
  const page = h.watch(await h.context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  const release = await held(page);
  await page.goto(h.server.url);
  await page.waitForSelector('#prerender', { state: 'visible' });
  const before = await page.screenshot();
  release();
  await settled(page);
  assert.equal(await page.$('#prerender'), null);
  assert.ok(before.equals(await page.screenshot()), 'the same pixels before and after the module mounts');
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('Play tapped on the first screen plays once the module has drawn', async () => {
  const [page, release] = await beforeModule();
  const play = await page.waitForSelector('#prerender .primary', { state: 'visible' });
  const b = await play.boundingBox();
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  assert.equal(await play.getAttribute('aria-pressed'), 'true', 'the tap is kept');
  // Nothing else on the picture answers before the module: a tap on a tab is no navigation.
  const tab = await (await page.$('#prerender .tab:not(.selected)')).boundingBox();
  await page.mouse.click(tab.x + tab.width / 2, tab.y + tab.height / 2);
  release();
  await settled(page);
  await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'true');
  await page.waitForFunction(() => +document.querySelector('#event-count').dataset.event > 0);
  assert.equal(await page.getAttribute('.shell', 'data-module'), 'raft');
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('opened without a query, the address stays blank until the run moves: no write before Play, and a reload shows the first picture again', async () => {
  const page = h.watch(await h.context.newPage());
  await page.addInitScript(() => {
    window.__writes = 0;
    const replace = history.replaceState.bind(history);
    history.replaceState = (...a) => { window.__writes++; return replace(...a); };
  });
  let release = await held(page);
  await page.goto(h.server.url);
  await page.waitForSelector('#prerender', { state: 'visible' });
  release();
  await settled(page);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => [location.search, window.__writes]), ['', 0], 'the blank address opens the same run: not rewritten');
  // (Once the module wrote `?view=raft&lang=en&p=leader-election` at once.)
  release = await held(page);
  await page.reload();
  await page.waitForSelector('#prerender', { state: 'visible' });
  assert.equal((await servers(page)).length, 5, 'the reloaded page shows the first picture before its module');
  release();
  await settled(page);
  await page.click('#step-fwd');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('e') === '1');
  assert.match(page.url(), /[?&]p=leader-election/, 'a moved run is in the address');
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('a phone-wide page does not scroll sideways', async () => {
  const [page, release] = await beforeModule();
  await page.waitForSelector('#prerender', { state: 'visible' });
  const wide = () => page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(await wide() <= 412, `the first picture: ${await wide()} px`);
  release();
  await settled(page);
  assert.ok(await wide() <= 412, `the module's page: ${await wide()} px`);
  await page.close();
});

test('the first screen is not shown where the module will draw something else', async () => {
  // A link names a run: its own picture, not the default one.
  for (const q of ['?p=figure-8', '?view=ring', '?lang=zh', '?x=1']) {
    const page = await h.context.newPage();
    const release = await held(page);
    await page.route(/ringraft-(ring)-[0-9a-f]+_bg\.wasm$/, () => {});
    await page.goto(h.server.url + q);
    await page.waitForFunction(() => document.querySelector('#prerender'));
    assert.equal((await servers(page)).length, 0, `${q}: nothing drawn before its module`);
    release();
    await page.close();
  }
  // A browser in Chinese reads the page in Chinese: not the English picture.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS });
  try {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const release = await held(page);
    await page.goto(h.server.url);
    await page.waitForFunction(() => document.querySelector('#prerender'));
    assert.equal((await servers(page)).length, 0, 'zh-CN: nothing drawn before the module');
    release();
    await settled(page);
    assert.match(await page.textContent('#play'), /播放/);
  } finally {
    await browser.close();
  }
});

/** What the Raft picture shows under `root`: the first picture's or the module's. */
const picture = (page, root) => page.$eval(root, (r) => ({
  clock: r.querySelector('.clock').textContent,
  events: r.querySelector('#event-count').textContent.trim(),
  scrubber: [r.querySelector('.scrubber input').max, r.querySelector('.scrubber input').value],
  play: [r.querySelector('button.primary').textContent, r.querySelector('button.primary').getAttribute('aria-pressed')],
  nodes: [...r.querySelectorAll('[data-node]')].map((n) => [n.getAttribute('class'), [...n.querySelectorAll('text')].map((t) => t.textContent).join('|')]),
  rings: [...r.querySelectorAll('svg.rings circle')].map((c) => `${c.getAttribute('class')} ${c.getAttribute('stroke-dasharray') ?? ''}`),
  messages: [...r.querySelectorAll('.msgs > g')].map((g) => `${g.getAttribute('class')} ${g.getAttribute('transform')} ${[...g.querySelectorAll('text')].map((t) => t.textContent)}`),
  markers: [...r.querySelectorAll('.markers .marker')].map((m) => `${m.className} ${m.style.left}`),
}));

const tapPlay = async (page) => {
  const b = await (await page.$('#prerender .primary')).boundingBox();
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
};

test('Play works on the first picture before the Raft module arrives, and the module takes the run over where it stands', async () => {
  const [page, release] = await beforeModule();
  // The first screen's own module (no Yew) runs the default run on the picture.
  await page.waitForSelector('#prerender[data-live]');
  assert.equal(await page.$('.shell[data-module]'), null, 'the Raft module is held');
  await tapPlay(page);
  assert.deepEqual((await picture(page, '#prerender')).play, ['❚❚ Pause', 'true']);
  // It plays: the clock runs, the first election's votes fly (1/20×: 3–6 s in).
  await page.waitForFunction(() => document.querySelector('#prerender .clock').textContent !== 't = 0.000 s');
  await page.waitForFunction(() => document.querySelector('#prerender .msgs > g.msg.rv'), null, { timeout: 15000 });
  await tapPlay(page);
  const paused = await picture(page, '#prerender');
  assert.deepEqual(paused.play, ['▶ Play', 'false']);
  assert.ok(paused.messages.length > 0 && paused.nodes.some(([c]) => /role-candidate/.test(c)), JSON.stringify(paused));
  assert.ok(paused.markers.length > 0, 'the election is marked on the scrubber');
  await page.waitForTimeout(200);
  assert.deepEqual(await picture(page, '#prerender'), paused, 'paused: nothing moves');
  await h.shot('first-screen-first-module-paused', page);
  release();
  await settled(page);
  assert.equal(await page.$('#prerender'), null);
  // The Raft module opens the run where the first picture left it: the same
  // picture, down to each message's place on its way.
  assert.deepEqual(await picture(page, '.shell[data-module]'), paused);
  // (Pixels too, but for a level of anti-aliasing at a few button corners.)
  assert.match(page.url(), /[?&]e=\d+/, 'the address carries the position');
  await page.click('#play');
  const e = +(await page.getAttribute('#event-count', 'data-event'));
  await page.waitForFunction((e) => +document.querySelector('#event-count').dataset.event > e, e, { timeout: 15000 });
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('a run playing on the first picture goes on playing in the Raft module', async () => {
  const [page, release] = await beforeModule();
  await page.waitForSelector('#prerender[data-live]');
  await tapPlay(page);
  await page.waitForFunction(() => document.querySelector('#prerender .msgs > g.msg'), null, { timeout: 15000 });
  const e = +(await page.$eval('#prerender .scrubber input', (i) => i.value));
  assert.ok(e > 0);
  release();
  await settled(page);
  await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'true');
  assert.ok(+(await page.getAttribute('#event-count', 'data-event')) >= e, 'not back to the start');
  await page.waitForFunction((e) => +document.querySelector('#event-count').dataset.event > e + 3, e, { timeout: 15000 });
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('a first screen\'s module that cannot load leaves the page to the Raft module', async () => {
  const page = h.watch(await h.context.newPage());
  await page.route(/ringraft-first-[0-9a-f]+_bg\.wasm$/, (r) => r.fulfill({ status: 404, body: 'gone' }));
  await page.goto(h.server.url);
  await settled(page);
  assert.equal(await page.$('#prerender'), null);
  assert.equal(await page.$('.load-error'), null, 'no error shown: the page works');
  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'true');
  h.errors.length = 0; // (the 404 itself is logged by the browser)
  await page.close();
});

test('Step, Back and +1 s work on the first picture too, and the Raft module opens the run where they left it', async () => {
  const [page, release] = await beforeModule();
  await page.waitForSelector('#prerender[data-live]');
  const click = async (sel) => {
    const b = await (await page.$(`#prerender ${sel}`)).boundingBox();
    await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  };
  const events = () => page.$eval('#prerender #event-count', (c) => c.textContent.trim());
  await click('.buttons > :nth-child(3)');
  await click('.buttons > :nth-child(3)');
  assert.equal(await events(), 'event 2 / 2', 'Step ▶');
  await click('.buttons > :first-child');
  assert.equal(await events(), 'event 1 / 2', '◀ Back');
  await click('#ff');
  const moved = await picture(page, '#prerender');
  assert.match(moved.clock, /^t = 1\.\d{3} s$/, '+1 s from event 1 (at 0.17 s)');
  assert.ok(moved.messages.length + moved.markers.length > 0, JSON.stringify(moved));
  release();
  await settled(page);
  assert.deepEqual(await picture(page, '.shell[data-module]'), moved);
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('Space, → and ← work on the first picture as in the Raft view, and the Raft module opens the run where they left it', async () => {
  const [page, release] = await beforeModule();
  await page.waitForSelector('#prerender[data-live]');
  const events = () => page.$eval('#prerender #event-count', (c) => c.textContent.trim());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await events(), 'event 2 / 2', '→ steps');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await events(), 'event 1 / 2', '← steps back');
  await page.keyboard.press(' ');
  assert.deepEqual((await picture(page, '#prerender')).play, ['❚❚ Pause', 'true'], 'Space plays');
  // (Past the steps ahead: the hand-over keeps a position, not a future.)
  await page.waitForFunction(() => +document.querySelector('#prerender .scrubber input').value > 3, null, { timeout: 15000 });
  await page.keyboard.press(' ');
  const paused = await picture(page, '#prerender');
  assert.deepEqual(paused.play, ['▶ Play', 'false'], 'Space pauses');
  assert.equal(await page.evaluate(() => scrollY), 0, 'Space does not scroll the page');
  release();
  await settled(page);
  assert.deepEqual(await picture(page, '.shell[data-module]'), paused);
  // The Raft module's keys take over from there.
  await page.keyboard.press('ArrowRight');
  assert.equal(+(await page.getAttribute('#event-count', 'data-event')), +paused.scrubber[1] + 1);
  assert.deepEqual(h.errors, []);
  await page.close();
});

test('a run played with Space on the first picture goes on playing in the Raft module', async () => {
  const [page, release] = await beforeModule();
  await page.waitForSelector('#prerender[data-live]');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('#prerender .msgs > g.msg'), null, { timeout: 15000 });
  const e = +(await page.$eval('#prerender .scrubber input', (i) => i.value));
  release();
  await settled(page);
  await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'true');
  assert.ok(+(await page.getAttribute('#event-count', 'data-event')) >= e, 'not back to the start');
  assert.deepEqual(h.errors, []);
  await page.close();
});
