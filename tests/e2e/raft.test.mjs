// The Raft view end to end: elections, crashes, partitions, time travel,
// client requests, import errors, keyboard, i18n. Time is driven with the
// step / +1 s buttons so every run is deterministic and quick.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await h?.stop(); });

/** Every server's rendered state, from its data attributes. */
async function nodes(page) {
  return page.$$eval('[data-node]', els => els.map(e => ({
    id: +e.dataset.node, role: e.dataset.role, term: +e.dataset.term, commit: +e.dataset.commit,
    votedFor: e.dataset.votedFor, logLen: +e.dataset.logLen, alive: e.dataset.alive === 'true',
  })));
}
const leaders = ns => ns.filter(n => n.role === 'leader');
/** The highest-term live leader. */
const leaderOf = ns => leaders(ns).sort((a, b) => b.term - a.term)[0];

async function fresh(query = '') {
  const page = await h.open(query);
  await page.waitForSelector('[data-node]');
  return page;
}
async function ff(page, times = 1) { for (let i = 0; i < times; i++) await page.click('#ff'); }
async function eventNo(page) { return +(await page.getAttribute('#event-count', 'data-event')); }
async function untilLeader(page, pred = () => true) {
  for (let i = 0; i < 10; i++) {
    const l = leaderOf(await nodes(page));
    if (l && pred(l)) return l;
    await ff(page);
  }
  assert.fail('no leader elected');
}
async function menu(page, id) {
  await page.click(`[data-node="${id}"]`);
  await page.waitForSelector(`#node-menu[data-menu-node="${id}"]`);
}
async function clientRequest(page, id, key, value) {
  await menu(page, id);
  await page.fill('#menu-key', key);
  await page.fill('#menu-value', value);
  await page.click('#menu-send');
}
function noErrors() { assert.deepEqual(h.errors, []); }

test('from a cold start a leader is elected', async () => {
  const page = await fresh();
  const before = await nodes(page);
  assert.equal(before.length, 5);
  assert.ok(before.every(n => n.role === 'follower' && n.term === 0));
  const l = await untilLeader(page);
  const ns = await nodes(page);
  assert.equal(leaders(ns).length, 1, 'exactly one leader');
  assert.ok(l.term >= 1);
  // A majority voted for it in its term.
  assert.ok(ns.filter(n => n.votedFor === String(l.id)).length >= 3);
  assert.equal(await page.getAttribute('#safety', 'data-violations'), '0');
  await h.shot('raft-elected');
  noErrors();
});

test('crashing the leader elects a new one in a higher term', async () => {
  const page = await fresh();
  const old = await untilLeader(page);
  await menu(page, old.id);
  await page.click('#menu-crash');
  assert.equal(await page.getAttribute(`[data-node="${old.id}"]`, 'data-role'), 'crashed');
  // The feed tells the story in plain language.
  assert.match(await page.textContent('#feed'), new RegExp(`S${old.id} crashed`));
  const neu = await untilLeader(page, l => l.id !== old.id);
  assert.ok(neu.term > old.term, `new term ${neu.term} > ${old.term}`);
  await h.shot('raft-leader-crash');
  noErrors();
});

test('a minority partition commits nothing while the majority elects and commits', async () => {
  const page = await fresh();
  const old = await untilLeader(page);
  const buddy = old.id === 1 ? 2 : 1;
  await page.check(`#part-${old.id}`);
  await page.check(`#part-${buddy}`);
  await page.click('#partition-apply');
  assert.ok(await page.locator('.link.blocked').count() > 0, 'cut links are drawn');
  const commitBefore = (await nodes(page)).find(n => n.id === old.id).commit;
  await clientRequest(page, old.id, 'lost', '1');
  const neu = await untilLeader(page, l => l.id !== old.id && l.id !== buddy);
  assert.ok(neu.term > old.term);
  await clientRequest(page, neu.id, 'kept', '2');
  await ff(page, 2);
  const ns = await nodes(page);
  const stale = ns.find(n => n.id === old.id);
  assert.equal(stale.commit, commitBefore, 'the minority leader committed nothing');
  assert.ok(stale.logLen > commitBefore, 'it holds an uncommitted entry');
  const majority = ns.filter(n => n.id !== old.id && n.id !== buddy);
  const newLeader = majority.find(n => n.id === neu.id);
  assert.ok(newLeader.commit > commitBefore, 'the majority commits');
  for (const n of majority) {
    assert.match(await page.getAttribute(`[data-log-node="${n.id}"] .kv`, 'data-kv'), /kept=2/);
  }
  assert.doesNotMatch(await page.getAttribute(`[data-log-node="${old.id}"] .kv`, 'data-kv'), /lost=1/);
  await h.shot('raft-minority-partition');
  // Heal: the old leader steps down and its entry is replaced.
  await page.click('#heal');
  await ff(page, 2);
  const healed = await nodes(page);
  assert.equal(leaders(healed).length, 1);
  assert.equal(healed.find(n => n.id === old.id).role, 'follower');
  noErrors();
});

test('step back restores exactly the earlier state', async () => {
  const page = await fresh();
  await untilLeader(page);
  await clientRequest(page, leaderOf(await nodes(page)).id, 'a', '1');
  const snap = async () => JSON.stringify({
    nodes: await nodes(page),
    event: await eventNo(page),
    clock: await page.textContent('#clock'),
    logs: await page.$$eval('[data-log-node]', rs => rs.map(r => [r.dataset.commit, r.dataset.len, r.querySelector('.kv').dataset.kv])),
    msgs: await page.$$eval('.msg', ms => ms.map(m => m.dataset.msgId).sort()),
  });
  const a = await snap();
  const e0 = await eventNo(page);
  for (let i = 0; i < 12; i++) await page.click('#step-fwd');
  assert.equal(await eventNo(page), e0 + 12);
  assert.notEqual(await snap(), a, 'stepping changed something');
  for (let i = 0; i < 12; i++) await page.click('#step-back');
  assert.equal(await eventNo(page), e0);
  // Going back lands on the state right after event e0; the clock may have been
  // past it (the +1 s run), so compare everything but the clock.
  const strip = s => { const o = JSON.parse(s); delete o.clock; delete o.msgs; return JSON.stringify(o); };
  assert.equal(strip(await snap()), strip(a));
  // Forward again: identical to the first forward pass (deterministic replay).
  for (let i = 0; i < 12; i++) await page.click('#step-fwd');
  const fwd1 = await snap();
  await page.click('#step-back'); await page.click('#step-fwd');
  assert.equal(await snap(), fwd1);
  noErrors();
});

test('a client request reaches every live log and is committed', async () => {
  const page = await fresh();
  const l = await untilLeader(page);
  const victim = l.id === 5 ? 4 : 5;
  await menu(page, victim);
  await page.click('#menu-crash');
  await clientRequest(page, l.id, 'color', 'blue');
  await ff(page);
  const ns = await nodes(page);
  for (const n of ns) {
    const cell = page.locator(`[data-log-node="${n.id}"] td.entry[title*="color=blue"]`);
    if (n.alive) {
      assert.equal(await cell.count(), 1, `S${n.id} has the entry`);
      assert.match(await cell.getAttribute('class'), /\bcommitted\b/, `S${n.id} committed it`);
      assert.match(await page.getAttribute(`[data-log-node="${n.id}"] .kv`, 'data-kv'), /color=blue/);
    } else {
      assert.equal(await cell.count(), 0, 'the crashed server has not got it');
    }
  }
  // Tap the entry: the inspector shows its command (touch has no hover).
  await page.locator(`[data-log-node="${l.id}"] td.entry[title*="color=blue"]`).click();
  assert.match(await page.textContent('#entry-detail'), /color=blue/);
  await h.shot('raft-client-request');
  noErrors();
});

test('keyboard: space plays and pauses, arrows step, +/- change speed; paused means no frames', async () => {
  const page = await fresh();
  await page.locator('body').focus();
  const e0 = await eventNo(page);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await eventNo(page), e0 + 2);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await eventNo(page), e0 + 1);
  const s0 = await page.inputValue('#speed');
  await page.keyboard.press('+');
  assert.ok(+(await page.inputValue('#speed')) > +s0);
  await page.keyboard.press('-');
  await page.keyboard.press(' ');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  await page.waitForTimeout(600);
  await page.keyboard.press(' ');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  const frames = await page.evaluate(() => (window.__ringraftFrameTimes || []).length);
  assert.ok(frames > 5, `frames while playing: ${frames}`);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => (window.__ringraftFrameTimes || []).length), frames, 'no frames while paused');
  // Nodes are focusable; Enter opens their menu.
  await page.focus('[data-node="2"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#node-menu[data-menu-node="2"]');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#node-menu').count(), 0);
  noErrors();
});

test('a bad scenario file shows its error path and keeps the current run', async () => {
  const page = await fresh();
  await ff(page);
  const e = await eventNo(page);
  await page.setInputFiles('#import', { name: 'bad.json', mimeType: 'application/json',
    buffer: Buffer.from('{"nodes": 5, "network": {"latency_min_ms": "fast"}}') });
  await page.waitForSelector('#import-error');
  assert.match(await page.textContent('#import-error'), /network\.latency_min_ms/);
  assert.equal(await eventNo(page), e);
  // A good file loads.
  await page.setInputFiles('#import', { name: 'ok.json', mimeType: 'application/json',
    buffer: Buffer.from('{"name": "three", "nodes": 3, "seed": 7}') });
  await page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 3);
  assert.equal(await page.locator('#import-error').count(), 0);
  noErrors();
});

test('the buggy preset breaks safety and the checker says where', async () => {
  const page = await fresh();
  await page.selectOption('#preset', 'bug-commit-old-terms');
  await ff(page, 2);
  assert.ok(+(await page.getAttribute('#safety', 'data-violations')) > 0);
  assert.ok(await page.locator('#safety .broken').count() > 0);
  assert.match(await page.textContent('#safety .violations'), /event \d+/);
  assert.ok(await page.locator('[data-node].violating').count() > 0, 'the servers involved are marked in the picture');
  await h.shot('raft-violation');
  noErrors();
});

test('messages can be inspected and dropped; cluster size and the space-time diagram work', async () => {
  const page = await fresh();
  await page.selectOption('#cluster-size', '7');
  await page.waitForFunction(() => document.querySelectorAll('[data-node]').length === 7);
  await untilLeader(page);
  for (let i = 0; i < 50 && await page.locator('.msg').count() === 0; i++) await page.click('#step-fwd');
  const id = await page.locator('.msg').first().getAttribute('data-msg-id');
  // Select it from the space-time diagram (a just-sent line can be zero length: dispatch the click).
  await page.locator(`.st-msg.flying[data-st-msg="${id}"]`).dispatchEvent('click');
  assert.match(await page.getAttribute(`.msg[data-msg-id="${id}"]`, 'class'), /selected/);
  await page.waitForSelector('#inspector h3');
  assert.match(await page.textContent('#inspector'), /Message #\d+/);
  await page.click('#drop-mode');
  await page.locator(`.msg[data-msg-id="${id}"]`).click();
  assert.equal(await page.locator(`.msg[data-msg-id="${id}"]`).count(), 0, 'the message is gone');
  assert.match(await page.textContent('#feed'), new RegExp(`#${id}.*dropped by user`));
  noErrors();
});

test('Chinese: the Raft view and its event feed are fully translated', async () => {
  const page = await fresh('?lang=zh');
  await untilLeader(page);
  await clientRequest(page, leaderOf(await nodes(page)).id, 'k', 'v');
  await ff(page);
  const text = await page.textContent('.raft-view');
  assert.doesNotMatch(text, /raft\.[a-z]/, 'no missing i18n keys');
  for (const w of ['delivered', 'heartbeat', 'granted', 'timed out', 'Leader', 'Play', 'committed', 'election']) {
    assert.ok(!text.includes(w), `untranslated "${w}"`);
  }
  const lines = await page.$$eval('#feed .what', ws => ws.map(w => w.textContent));
  assert.ok(lines.length > 10 && lines.every(l => /[\u4e00-\u9fff]/.test(l)), 'every feed line is Chinese');
  await h.shot('raft-zh');
  noErrors();
});
