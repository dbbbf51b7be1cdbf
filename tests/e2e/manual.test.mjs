// Manual mode and "Explore from here" (issue 16), in the extended Raft
// module: a person builds part of the paper's Figure 8 by choosing each
// event (timers, deliveries, a crash, client requests), steps back and
// forward through it and shares it as a link; clicking a message delivers
// it and a timer ring fires it; the explorer runs in a Web Worker, finds
// Buggy Raft's violation and opens its counterexample in the scrubber;
// correct Raft explored to a depth finds nothing; Cancel stops a search.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 1280, height: 1100 } }); });
after(async () => { await h?.stop(); });

function noErrors() { assert.deepEqual(h.errors, []); }

const events = async (page) => +(await page.getAttribute('#event-count', 'data-event'));

/** Every step the panel offers, as its JSON. */
const offered = (page) => page.$$eval('#manual-panel button.step', bs => bs.map(b => b.dataset.step));

/** Takes one step by its JSON (it must be offered), one event. */
async function take(page, step) {
  const json = JSON.stringify(step);
  const before = await events(page);
  const list = await offered(page);
  assert.ok(list.includes(json), `${json} offered in ${list.join(' ')}`);
  await page.click(`#manual-panel button.step[data-step='${json}']`);
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event === n, before + 1);
}

/** Delivers every message in flight from `from` to `to` of `kind`, oldest first. */
async function deliverAll(page, from, to, kind) {
  for (;;) {
    const list = (await offered(page)).map(s => JSON.parse(s)).filter(s => s.deliver && s.deliver.from === from && s.deliver.to === to && s.deliver.kind === kind);
    if (list.length === 0) return;
    await take(page, list[0]);
  }
}

const node = (page, id, attr) => page.getAttribute(`[data-node="${id}"]`, attr);

test('manual mode: a partial Figure 8 built by choosing events, stepped back and forward, and shared', async () => {
  const page = await h.open('?p=leader-election&x=1');
  await page.waitForSelector('[data-node="5"]');
  assert.equal(await page.locator('#manual-panel').count(), 0, 'no panel in a timed run');
  await page.click('#manual');
  await page.waitForSelector('#manual-panel');
  assert.equal(await page.getAttribute('#manual', 'aria-pressed'), 'true');
  // Nothing happens by itself: the clock waits for a choice.
  const e0 = await events(page);
  await page.waitForTimeout(300);
  assert.equal(await events(page), e0);
  assert.ok(await page.isDisabled('#play'), 'nothing recorded ahead to play');
  // (a) S1 times out and wins term 1 with S2's and S3's votes.
  await take(page, { timeout: { node: 1, timer: 'election' } });
  assert.equal(await node(page, 1, 'data-role'), 'candidate');
  for (const p of [2, 3]) {
    await take(page, { deliver: { from: 1, to: p, kind: 'request_vote', seq: 1 } });
    await take(page, { deliver: { from: p, to: 1, kind: 'request_vote_response', seq: 1 } });
  }
  assert.equal(await node(page, 1, 'data-role'), 'leader');
  assert.equal(await node(page, 1, 'data-term'), '1');
  // A client writes to S1; S1's AppendEntries reach S2 only.
  const len1 = +(await node(page, 1, 'data-log-len'));
  const request = (await offered(page)).map(s => JSON.parse(s)).find(s => s.request && s.request.node === 1);
  await take(page, request);
  assert.equal(+(await node(page, 1, 'data-log-len')), len1 + 1);
  await take(page, { timeout: { node: 1, timer: 'heartbeat' } });
  await deliverAll(page, 1, 2, 'append_entries');
  assert.equal(+(await node(page, 2, 'data-log-len')), len1 + 1, 'S2 holds the entry of term 1');
  assert.equal(await node(page, 3, 'data-log-len'), '0', 'S3 does not');
  // (b) S1 crashes; S5 wins term 2 with S3's and S4's votes, and takes a write of its own at index 1.
  await take(page, { crash: { node: 1 } });
  // S5 never heard of term 1: its first election (term 1) cannot win S3's
  // vote, given to S1; its timer fires again and it asks in term 2.
  await take(page, { timeout: { node: 5, timer: 'election' } });
  await take(page, { timeout: { node: 5, timer: 'election' } });
  assert.equal(await node(page, 5, 'data-term'), '2');
  for (const p of [3, 4]) {
    await take(page, { deliver: { from: 5, to: p, kind: 'request_vote', seq: 2 } });
    await take(page, { deliver: { from: p, to: 5, kind: 'request_vote_response', seq: 1 } });
  }
  assert.equal(await node(page, 5, 'data-role'), 'leader');
  assert.equal(await node(page, 5, 'data-term'), '2');
  const len5 = +(await node(page, 5, 'data-log-len'));
  const request5 = (await offered(page)).map(s => JSON.parse(s)).find(s => s.request && s.request.node === 5);
  await take(page, request5);
  assert.equal(+(await node(page, 5, 'data-log-len')), len5 + 1, 'S5 appends an entry of term 2');
  assert.equal(await node(page, 1, 'data-role'), 'crashed');
  // The log view shows index 1 in term 1 on S1 and S2, term 2 on S5: Figure 8 (b).
  await h.shot('manual-figure-8b');
  const end = await events(page);
  // Step back three events and forward again: the same state.
  for (let i = 0; i < 3; i++) await page.click('#step-back');
  assert.equal(await events(page), end - 3);
  assert.equal(await node(page, 5, 'data-role'), 'candidate');
  for (let i = 0; i < 3; i++) await page.click('#step-fwd');
  assert.equal(await events(page), end);
  assert.equal(await node(page, 5, 'data-role'), 'leader');
  // Play replays recorded steps one by one: go back 4 and play to the end.
  for (let i = 0; i < 4; i++) await page.click('#step-back');
  await page.click('#play');
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event === n, end, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'false');
  // The share link reproduces it.
  const link = page.url();
  assert.match(link, /[?&]x=1/);
  const other = h.watch(await h.context.newPage());
  await h.open(new URL(link).search, other);
  await other.waitForFunction((n) => +document.querySelector('#event-count')?.dataset.event === n, end);
  for (const [id, attr] of [[5, 'data-role'], [5, 'data-term'], [2, 'data-log-len'], [1, 'data-role']]) {
    assert.equal(await node(other, id, attr), await node(page, id, attr), `S${id} ${attr}`);
  }
  assert.ok(await other.isVisible('#manual-panel'), 'still in manual mode');
  await other.close();
  noErrors();
});

test('manual mode: a click on a message delivers it, on a timer ring fires it; a menu crash is a step', async () => {
  const page = await h.open('?p=leader-election&x=1');
  await page.click('#manual');
  await page.waitForSelector('#manual-panel');
  const e = await events(page);
  // On the ring itself (its top), not the server inside it.
  const ring = await page.locator('[data-fire="2"]').boundingBox();
  await page.mouse.click(ring.x + ring.width / 2, ring.y + 1);
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event === n, e + 1);
  assert.equal(await node(page, 2, 'data-role'), 'candidate');
  const msgs = page.locator('.cluster-wrap .msg');
  assert.ok(await msgs.count() >= 2, 'S2 asked for votes');
  // The one to S1: deliver it by clicking it in the drawing.
  const id = await page.$$eval('#manual-panel button.step', bs => bs.map(b => JSON.parse(b.dataset.step)).find(s => s.deliver && s.deliver.to === 1) && 1);
  assert.equal(id, 1);
  const toS1 = await page.evaluate(() => {
    const b = [...document.querySelectorAll('#manual-panel button.step')].find(b => JSON.parse(b.dataset.step).deliver?.to === 1);
    return b && b.textContent;
  });
  assert.match(toS1, /S2 → S1/);
  const first = await msgs.first().getAttribute('data-msg-id');
  await msgs.first().dispatchEvent('click');
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event === n, e + 2);
  assert.equal(await page.locator(`.cluster-wrap .msg[data-msg-id="${first}"]`).count(), 0, 'delivered, off the wire');
  // The server menu's Crash is a step of the run.
  await page.click('[data-node="3"]');
  await page.click('#menu-crash');
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event === n, e + 3);
  assert.equal(await node(page, 3, 'data-role'), 'crashed');
  assert.ok((await offered(page)).includes(JSON.stringify({ restart: { node: 3 } })));
  // Back to timed: the run goes on by itself.
  await page.click('#manual');
  await page.waitForSelector('#manual-panel', { state: 'detached' });
  await page.click('#ff');
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event > n + 5, e + 4);
  noErrors();
});

async function explore(page, { depth, crashes = 1, requests = 1 } = {}) {
  await page.click('#explore summary');
  await page.selectOption('#explore-depth', String(depth));
  await page.selectOption('#explore-crashes', String(crashes));
  await page.selectOption('#explore-requests', String(requests));
  await page.click('#explore-run');
}

test('explore from here: Buggy Raft\'s violation is found in a worker and its counterexample plays in the scrubber', async () => {
  const page = await h.open('?p=leader-election&x=1');
  await Promise.all([page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 3), page.selectOption('#cluster-size', '3')]);
  await page.check('#buggy');
  await page.waitForFunction(() => document.querySelector('.buggy-tag'));
  const workers = [];
  page.on('worker', w => workers.push(w.url()));
  const start = await events(page);
  // The page keeps drawing while the worker searches: count animation frames.
  await page.evaluate(() => { window.__frames = []; const f = (t) => { window.__frames.push(t); if (!window.__stopFrames) requestAnimationFrame(f); }; requestAnimationFrame(f); });
  await explore(page, { depth: 10 });
  await page.waitForFunction(() => document.querySelector('#explore-status')?.dataset.stop === 'running');
  await page.waitForFunction(() => document.querySelector('#explore-status')?.dataset.stop === 'violation', null, { timeout: 120000 });
  const gaps = await page.evaluate(() => { window.__stopFrames = true; const f = window.__frames; return f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b); });
  if (gaps.length) console.log(`frames while exploring: ${gaps.length}, median ${gaps[gaps.length >> 1].toFixed(1)} ms, worst ${gaps[gaps.length - 1].toFixed(1)} ms`);
  assert.ok(workers.some(u => u.endsWith('explore-worker.js')), `the search ran in a worker: ${workers}`);
  const status = await page.textContent('#explore-status');
  assert.match(status, /broken after (\d+) events/);
  const steps = +status.match(/after (\d+) events/)[1];
  assert.ok(steps >= 3 && steps <= 10, `${steps} steps`);
  // The counterexample is the run now: manual mode on, its steps after the start.
  assert.equal(await events(page), start + 1 + steps);
  assert.ok(+(await page.getAttribute('#safety', 'data-violations')) >= 1);
  const broken = await page.$$eval('#safety li.broken', ls => ls.map(l => l.dataset.prop));
  assert.ok(broken.length >= 1, 'the safety panel points at the broken property');
  assert.ok(await page.isVisible('#manual-panel'));
  await h.shot('explore-counterexample');
  // Step back: before its last step nothing is broken yet.
  await page.click('#step-back');
  assert.equal(await page.getAttribute('#safety', 'data-violations'), '0');
  // The scrubber: back to where the search began, then forward through the schedule.
  await page.locator('#scrubber').fill(String(start));
  await page.waitForFunction((n) => +document.querySelector('#event-count').dataset.event === n, start);
  for (let i = 0; i < steps + 1; i++) await page.click('#step-fwd');
  assert.equal(await events(page), start + 1 + steps);
  assert.ok(+(await page.getAttribute('#safety', 'data-violations')) >= 1);
  noErrors();
});

test('explore from here: correct Raft breaks nothing to the depth asked; a deep search is cancelled', async () => {
  const page = await h.open('?p=leader-election&x=1');
  await Promise.all([page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 3), page.selectOption('#cluster-size', '3')]);
  const start = await events(page);
  await explore(page, { depth: 6 });
  await page.waitForFunction(() => ['depth', 'exhausted'].includes(document.querySelector('#explore-status')?.dataset.stop), null, { timeout: 60000 });
  assert.match(await page.textContent('#explore-status'), /No violation: every schedule of up to 6 events checked \(\d+ states, \d+ distinct/);
  assert.equal(await events(page), start, 'the run is untouched');
  // A search far too deep to finish: Cancel stops it where it is.
  await page.selectOption('#explore-depth', '16');
  await page.selectOption('#explore-crashes', '2');
  await page.selectOption('#explore-requests', '2');
  await page.click('#explore-run');
  await page.waitForFunction(() => /Depth \d+:/.test(document.querySelector('#explore-status')?.textContent || ''));
  // The page answers while it runs.
  const t0 = Date.now();
  await page.click('#step-fwd');
  console.log(`a click while exploring answered in ${Date.now() - t0} ms`);
  await page.click('#explore-cancel');
  assert.equal(await page.getAttribute('#explore-status', 'data-stop'), 'cancelled');
  assert.match(await page.textContent('#explore-status'), /Cancelled at depth \d+/);
  noErrors();
});

test('explore from here refuses what it cannot model, in the page\'s language', async () => {
  const page = await h.open('?p=stale-lease-read&x=1&lang=zh');
  await page.click('#explore summary');
  await page.click('#explore-run');
  await page.waitForFunction(() => document.querySelector('#explore-status')?.dataset.stop === 'refused');
  assert.match(await page.textContent('#explore-status'), /此运行无法穷举：日志外读取/);
  assert.match(await page.textContent('#manual'), /逐个选择事件/);
  noErrors();
});

test('the lean page\'s "Choose each event" opens this run, at this moment, in manual mode', async () => {
  const page = await h.open('?p=leader-election');
  assert.equal(new URL(page.url()).searchParams.get('x'), null, 'the lean module');
  await page.click('#ff');
  await page.waitForFunction(() => +document.querySelector('#event-count').dataset.event > 0);
  const at = await events(page);
  const leader = await page.$$eval('[data-node]', ns => ns.filter(n => n.dataset.role === 'leader').map(n => n.dataset.node));
  await Promise.all([page.waitForURL(/[?&]x=1/), page.click('#manual')]);
  await h.settled(page);
  await page.waitForSelector('#manual-panel');
  // One more event: manual mode turned on where the lean page stood.
  assert.equal(await events(page), at + 1);
  assert.deepEqual(await page.$$eval('[data-node]', ns => ns.filter(n => n.dataset.role === 'leader').map(n => n.dataset.node)), leader);
  assert.equal(await page.getAttribute('#manual', 'aria-pressed'), 'true');
  // The address no longer asks for it: the run holds the mode as an action.
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('m'));
  noErrors();
});
