import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 1280, height: 900 } }); });
after(async () => { await h?.stop(); });

async function openCluster(query = '') {
  const page = await h.open(query);
  await h.view('cluster', page);
  await page.waitForSelector('.cluster [data-server="A"]');
  return page;
}

/** Shard rows as {shard, available, replicas, leader}. */
async function shards(page) {
  return page.$$eval('.shard-table tbody tr', rows => rows.map(r => ({
    shard: Number(r.dataset.shard), available: r.dataset.available === 'true',
    replicas: r.dataset.replicas.split(','), leader: r.dataset.leader,
  })));
}
async function keys(page) {
  return page.$$eval('.key-table tbody tr', rows => rows.map(r => ({
    key: r.dataset.key, shard: Number(r.dataset.shard), available: r.dataset.available === 'true' })));
}
const settle = async (page, n = 2) => { for (let i = 0; i < n; i++) await page.click('#cluster-settle'); };
const toggleCrash = (page, s) => page.click(`[data-server="${s}"] button[data-action="crash"]`);

test('every shard has a leader and every key is available at start', async () => {
  const page = await openCluster();
  const ss = await shards(page);
  assert.equal(ss.length, 8);
  for (const s of ss) {
    assert.equal(s.replicas.length, 3);
    assert.equal(new Set(s.replicas).size, 3, 'replicas on distinct servers');
    assert.ok(s.available && s.leader, `shard ${s.shard} available with a leader`);
  }
  assert.equal(await page.locator('.replica[data-role="leader"]').count(), 8);
  // Role is shown as a label, not colour alone.
  assert.match(await page.locator('.replica[data-role="leader"] .replica-role').first().textContent(), /leader/);
  await h.shot('cluster-start');
  assert.deepEqual(h.errors, []);
});

test('crashing one server leaves every key available (R = 3)', async () => {
  const page = await openCluster();
  await toggleCrash(page, 'B');
  assert.equal(await page.getAttribute('[data-server="B"]', 'data-crashed'), 'true');
  await settle(page);
  for (const s of await shards(page)) assert.ok(s.available, `shard ${s.shard} still available`);
  for (const k of await keys(page)) assert.ok(k.available, `key ${k.key} still available`);
  assert.equal(await page.locator('[data-server="B"] .replica[data-role="leader"]').count(), 0);
  await h.shot('cluster-crash-one');
  assert.deepEqual(h.errors, []);
});

test('crashing two servers of a group makes that group unavailable; restarting brings it back', async () => {
  const page = await openCluster();
  const [first] = await shards(page);
  const victims = first.replicas.slice(0, 2);
  for (const v of victims) await toggleCrash(page, v);
  await settle(page);
  const ss = await shards(page);
  const lostMajority = s => s.replicas.filter(r => victims.includes(r)).length >= 2;
  assert.ok(!ss[0].available, 'the shared group lost its majority');
  assert.ok(ss.some(s => s.available), 'other groups stay available');
  for (const s of ss) assert.equal(s.available, !lostMajority(s), `shard ${s.shard}`);
  for (const k of await keys(page)) assert.equal(k.available, !lostMajority(ss[k.shard]), `key ${k.key}`);
  assert.ok(await page.locator(`.shard-table tr[data-shard="${ss[0].shard}"] .badge.bad`).count() === 1);
  await h.shot('cluster-crash-two');
  for (const v of victims) await toggleCrash(page, v);
  await settle(page);
  for (const s of await shards(page)) assert.ok(s.available, `shard ${s.shard} back after restart`);
  for (const k of await keys(page)) assert.ok(k.available, `key ${k.key} back`);
  assert.deepEqual(h.errors, []);
});

test('partitioning two servers of a group and healing', async () => {
  const page = await openCluster();
  const ss0 = await shards(page);
  const victims = ss0[2].replicas.slice(1, 3);
  for (const v of victims) await page.click(`[data-server="${v}"] button[data-action="isolate"]`);
  await settle(page);
  const ss = await shards(page);
  assert.ok(!ss[2].available);
  assert.equal(await page.getAttribute(`[data-server="${victims[0]}"]`, 'data-isolated'), 'true');
  // A leader cut off from its majority is labelled as such, not as a working leader.
  const leaders = await page.$$eval('.replica[data-role="leader"]', li => li.map(x => ({
    shard: Number(x.dataset.shard), stale: x.dataset.stale === 'true', server: x.closest('[data-server]').dataset.server })));
  for (const r of leaders) assert.equal(r.stale, ss[r.shard].leader !== r.server, `shard ${r.shard} on ${r.server}`);
  await h.shot('cluster-partition');
  await page.click('#cluster-heal');
  await settle(page);
  for (const s of await shards(page)) assert.ok(s.available, `shard ${s.shard} healed`);
  assert.deepEqual(h.errors, []);
});

test('a client write shows its steps one by one and ends acknowledged', async () => {
  const page = await openCluster();
  await page.fill('#cluster-write-key', 'alice');
  await page.fill('#cluster-write-value', 'hello');
  await page.click('#cluster-write-send');
  const trace = page.locator('.write-trace');
  assert.equal(await trace.getAttribute('data-steps-shown'), '1');
  assert.equal(await trace.getAttribute('data-write-status'), 'pending');
  const seen = [];
  for (let i = 0; i < 20; i++) {
    if (await trace.getAttribute('data-write-status') !== 'pending') break;
    await page.click('#cluster-write-next');
  }
  seen.push(...await page.$$eval('.write-steps li', li => li.map(x => x.dataset.step)));
  assert.equal(await trace.getAttribute('data-write-status'), 'acknowledged');
  assert.deepEqual(seen.slice(0, 3), ['hashed', 'routed', 'sent']);
  for (const s of ['appended', 'replicated', 'committed', 'acknowledged']) assert.ok(seen.includes(s), `step ${s}`);
  // The key's row shows the committed value on the right shard.
  const shard = await trace.getAttribute('data-shard');
  assert.equal(await page.getAttribute('.key-table tr[data-key="alice"]', 'data-shard'), shard);
  assert.match(await page.locator('.key-table tr[data-key="alice"]').textContent(), /hello/);
  await h.shot('cluster-write');
  // Back un-shows the acknowledgement.
  await page.click('#cluster-write-back');
  assert.equal(await trace.getAttribute('data-write-status'), 'pending');
  assert.deepEqual(h.errors, []);
});

test('a write to a follower shows the redirect', async () => {
  const page = await openCluster();
  // Find a shard whose first replica is not its leader, then a key of it.
  const ss = await shards(page);
  const target = ss.find(s => s.leader !== s.replicas[0]);
  assert.ok(target, 'some shard is led by a non-first replica');
  let key;
  for (let i = 0; i < 400 && !key; i++) {
    await page.fill('#cluster-write-key', `k${i}`);
    await page.click('#cluster-write-send');
    if (await page.getAttribute('.write-trace', 'data-shard') === String(target.shard)) key = `k${i}`;
  }
  assert.ok(key);
  for (let i = 0; i < 4; i++) await page.click('#cluster-write-next');
  const steps = await page.$$eval('.write-steps li', li => li.map(x => x.dataset.step));
  assert.ok(steps.includes('redirected'), steps.join(','));
  assert.deepEqual(h.errors, []);
});

/** The rebalance panel's moves as {shard, from, to, stage, steps, available}. */
async function moves(page) {
  return page.$$eval('.moves .move', li => li.map(m => ({
    shard: Number(m.dataset.moveShard), from: m.dataset.from, to: m.dataset.to, stage: m.dataset.stage,
    steps: m.dataset.steps, available: m.dataset.available === 'true' })));
}

test('adding a server moves each affected shard by membership changes: learner → promoted → old removed', async () => {
  const page = await openCluster();
  const before = await shards(page);
  await page.click('#cluster-add');
  await page.waitForSelector('.rebalance[data-change="added"][data-changed="F"]');
  assert.equal(await page.locator('.server[data-server="F"]').count(), 1);
  let ms = await moves(page);
  assert.ok(ms.length > 0);
  for (const m of ms) {
    assert.equal(m.to, 'F');
    assert.ok(['adding', 'catching_up'].includes(m.stage), `shard ${m.shard} starts by adding a learner: ${m.stage}`);
  }
  // Nothing has moved yet: the old replicas still serve, each new one is a
  // learner on F getting the log (the leaders took AddServer at once).
  for (const s of await shards(page)) for (const r of before[s.shard].replicas) assert.ok(s.replicas.includes(r));
  assert.ok(ms.some(m => m.stage === 'catching_up'));
  assert.ok(await page.locator('.server[data-server="F"] .replica[data-member="learner"]').count() > 0, 'learners drawn on F');
  assert.match(await page.locator('.move[data-stage="catching_up"] .mstep.current').first().textContent(), /joining as learner \(caught up \d+\/\d+\)/);
  await h.shot('cluster-move-learner');
  // Play at 0.1× (100 ms of virtual time per second) and watch each shard's move.
  const seen = new Set(ms.map(m => m.stage));
  let leavingSeen = false;
  await page.selectOption('#cluster-speed', '0.1');
  await page.click('#cluster-play');
  for (let i = 0; i < 400 && ms.some(m => m.stage !== 'done'); i++) {
    await page.waitForTimeout(25);
    ms = await moves(page);
    for (const m of ms) seen.add(m.stage);
    if (!leavingSeen && await page.locator('.replica[data-member="leaving"]').count() > 0) {
      leavingSeen = true;
      await h.shot('cluster-move-leaving');
    }
  }
  await page.click('#cluster-play');
  for (const m of ms) {
    assert.equal(m.stage, 'done', `shard ${m.shard} moved`);
    assert.equal(m.steps, 'learner promoted removing done', `shard ${m.shard}: ${m.steps}`);
  }
  assert.ok(seen.has('removing') || leavingSeen, 'an old replica was seen leaving');
  // The new placement: each moved shard swapped its old server for F.
  const after = await shards(page);
  for (const s of after) {
    const m = ms.find(m => m.shard === s.shard);
    const b = before[s.shard].replicas;
    if (!m) assert.deepEqual(s.replicas, b, `shard ${s.shard} unchanged`);
    else {
      assert.ok(!s.replicas.includes(m.from) && s.replicas.includes('F'), `shard ${s.shard}: ${s.replicas}`);
      assert.equal(await page.locator(`[data-server="${m.from}"] .replica[data-shard="${s.shard}"]`).count(), 0);
    }
  }
  assert.ok(await page.locator('.server[data-server="F"] .replica[data-member="voter"]').count() > 0);
  await settle(page);
  for (const s of await shards(page)) assert.ok(s.available, `shard ${s.shard} available after rebalance`);
  // The old "not Raft membership change" disclaimer is gone: moves are membership changes now.
  const text = await page.locator('.cluster').innerText();
  assert.ok(!/not Raft membership change/i.test(text), 'no disclaimer');
  assert.match(text, /membership changes/);
  await h.shot('cluster-add-server');
  assert.deepEqual(h.errors, []);
});

test('removing a server moves its replicas away, then it is gone', async () => {
  const page = await openCluster();
  const held = (await shards(page)).filter(s => s.replicas.includes('B')).map(s => s.shard);
  await page.click('[data-server="B"] button[data-action="remove"]');
  await page.waitForSelector('.rebalance[data-change="removed"][data-changed="B"]');
  assert.equal(await page.getAttribute('[data-server="B"]', 'data-leaving'), 'true');
  assert.ok(await page.locator('[data-server="B"] button[data-action="remove"]').isDisabled());
  const ms = await moves(page);
  assert.deepEqual(ms.map(m => m.shard), held);
  for (const m of ms) assert.equal(m.from, 'B');
  await settle(page, 3);
  for (const m of await moves(page)) assert.equal(m.stage, 'done', `shard ${m.shard}`);
  assert.equal(await page.locator('.server[data-server="B"]').count(), 0, 'B left once drained');
  for (const s of await shards(page)) {
    assert.ok(s.available && !s.replicas.includes('B'), `shard ${s.shard}`);
    assert.equal(s.replicas.length, 3);
  }
  assert.deepEqual(h.errors, []);
});

test('every action goes through the model and is recorded for sharing', async () => {
  // The view reports its state as ClusterLink JSON (`on_change`); until the
  // app carries it in links, the recorded action count is visible here.
  const page = await openCluster();
  const actions = async () => Number(await page.getAttribute('section.cluster', 'data-actions'));
  assert.equal(await actions(), 0);
  await toggleCrash(page, 'B');
  await page.click('[data-server="C"] button[data-action="isolate"]');
  await page.click('#cluster-write-send');
  await page.click('#cluster-add');
  await page.click('#cluster-heal');
  await page.click('[data-server="E"] button[data-action="remove"]');
  assert.equal(await actions(), 6);
  // Advancing time and stepping a write are not actions (the link's time covers them).
  await page.click('#cluster-settle');
  await page.click('#cluster-write-next');
  assert.equal(await actions(), 6);
  assert.equal(await page.getAttribute('section.cluster', 'data-embed'), 'false');
  assert.ok(await page.locator('#cluster-error').isHidden(), 'no notice on the default page');
  // Inputs cannot exceed what a shareable write may carry.
  assert.equal(await page.getAttribute('#cluster-write-key', 'maxlength'), '32');
  await page.click('#cluster-reset');
  assert.equal(await actions(), 0);
  assert.deepEqual(h.errors, []);
});

test('play advances time with requestAnimationFrame; pause stops it', async () => {
  const page = await openCluster();
  const t0 = Number(await page.getAttribute('#cluster-time', 'data-now'));
  await page.click('#cluster-play');
  await page.waitForTimeout(400);
  await page.click('#cluster-play');
  const t1 = Number(await page.getAttribute('#cluster-time', 'data-now'));
  assert.ok(t1 > t0, `time advanced ${t0} → ${t1}`);
  await page.waitForTimeout(300);
  assert.equal(Number(await page.getAttribute('#cluster-time', 'data-now')), t1, 'paused: nothing runs');
  assert.deepEqual(h.errors, []);
});

test('step back undoes time and the actions in it; forward again redoes them exactly; a new action forks', async () => {
  const page = await openCluster();
  const now = async () => Number(await page.getAttribute('#cluster-time', 'data-now'));
  const state = () => page.$$eval('.shard-table tbody tr', rows => rows.map(r => r.dataset.leader + ':' + r.dataset.available).join(' '));
  assert.ok(await page.locator('#cluster-back').isDisabled(), 'nothing to step back to at the start');
  await page.click('#cluster-step');
  const t0 = await now();
  await toggleCrash(page, 'A');
  await page.click('#cluster-step');
  await page.click('#cluster-step');
  const t2 = await now();
  const crashed = await state();
  assert.equal(await page.getAttribute('[data-server="A"]', 'data-crashed'), 'true');
  // Back 300 ms: before the crash.
  for (let i = 0; i < 3; i++) await page.click('#cluster-back');
  assert.equal(await now(), t2 - 300000);
  assert.equal(await page.getAttribute('[data-server="A"]', 'data-crashed'), 'false', 'the crash is undone');
  // Forward to the same time: the crash happens again, the same way.
  for (let i = 0; i < 3; i++) await page.click('#cluster-step');
  assert.equal(await now(), t2);
  assert.equal(await page.getAttribute('[data-server="A"]', 'data-crashed'), 'true', 'redone at its time');
  assert.equal(await state(), crashed, 'the same run');
  // Back again, then a different action: the old future (the crash) is gone.
  for (let i = 0; i < 3; i++) await page.click('#cluster-back');
  assert.equal(await now(), t0 - 100000);
  await toggleCrash(page, 'B');
  for (let i = 0; i < 3; i++) await page.click('#cluster-step');
  assert.equal(await page.getAttribute('[data-server="A"]', 'data-crashed'), 'false', 'the old future was replaced');
  assert.equal(await page.getAttribute('[data-server="B"]', 'data-crashed'), 'true');
  assert.deepEqual(h.errors, []);
});

test('the Chinese page has no English left in the cluster view', async () => {
  const page = await openCluster('?lang=zh');
  await page.click('#cluster-write-send');
  await page.click('#cluster-write-next');
  await page.click('#cluster-add');
  const text = await page.locator('.cluster').innerText();
  // Server letters, key names, numbers and "put(...)" are data; words are not.
  const words = (text.match(/[A-Za-z]{3,}/g) || []).filter(w =>
    !['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar',
      'put', 'hash', 'Raft', 'AppendEntries'].includes(w) && !/^0x/.test(w));
  assert.deepEqual(words, []);
  await h.shot('cluster-zh');
  assert.deepEqual(h.errors, []);
});

test("a shard's Raft group opens in the Raft view, the same run at the same moment", async () => {
  const page = await openCluster();
  await toggleCrash(page, 'B');
  await settle(page);
  const s = (await shards(page)).find(s => s.replicas.includes('B'));
  const commit = await page.textContent(`.shard-table tr[data-shard="${s.shard}"] td:nth-child(5)`);
  await Promise.all([page.waitForURL(/view=raft/), page.click(`[data-open-shard="${s.shard}"]`)]);
  await page.waitForSelector('[data-node]');
  await page.waitForSelector('#catchup', { state: 'detached' });
  assert.equal(await page.locator('[data-node]').count(), 3);
  assert.match(await page.textContent('#about summary'), new RegExp(`Shard ${s.shard}'s Raft group`));
  // Slot i of the group is Raft node S(i+1): the crashed server's replica is down, the leader leads.
  const crashed = s.replicas.indexOf('B') + 1, leader = s.replicas.indexOf(s.leader) + 1;
  assert.equal(await page.getAttribute(`[data-node="${crashed}"]`, 'data-alive'), 'false');
  assert.equal(await page.getAttribute(`[data-node="${leader}"]`, 'data-role'), 'leader');
  assert.equal(await page.getAttribute(`[data-node="${leader}"]`, 'data-commit'), commit.trim());
  // Message by message from here: step back and forward.
  const at = +(await page.getAttribute('#event-count', 'data-event'));
  assert.ok(at > 0);
  await page.keyboard.press('ArrowLeft');
  assert.equal(+(await page.getAttribute('#event-count', 'data-event')), at - 1);
  await h.shot('cluster-open-raft');
  assert.deepEqual(h.errors, []);
});

test("a moved shard's Raft group opens in the extended Raft view with its membership changes", async () => {
  const page = await openCluster();
  await page.click('#cluster-add');
  await settle(page, 2);
  const [m] = await moves(page);
  assert.equal(m.stage, 'done');
  await Promise.all([page.waitForURL(/view=raft.*x=1|x=1.*view=raft/), page.click(`[data-open-shard="${m.shard}"]`)]);
  await page.waitForSelector('[data-node]');
  await page.waitForSelector('#catchup', { state: 'detached' });
  // S4 joined on F; the old replica's node was removed and shut down.
  assert.ok(await page.locator('[data-node]').count() >= 4);
  assert.notEqual(await page.getAttribute('[data-node="4"]', 'data-alive'), 'false');
  assert.match(await page.textContent('#about summary'), new RegExp(`Shard ${m.shard}'s Raft group`));
  await h.shot('cluster-open-raft-moved');
  assert.deepEqual(h.errors, []);
});
