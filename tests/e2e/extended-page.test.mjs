// The extended Raft module (view=raft&x=1), loaded on demand: links, presets
// and files that need reads outside the log, sessions or clock drift open
// there; it shows the read mode, clock drift on each server, client reads
// from the node menu and the client history lane with the linearizability
// checker's verdict (a stale lease read marked, ReadIndex clean).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 1280, height: 1000 } }); });
after(async () => { await h?.stop(); });

function noErrors() { assert.deepEqual(h.errors, []); }

const param = (page, k) => new URL(page.url()).searchParams.get(k);

async function fresh(query) {
  const page = await h.open(query);
  await page.waitForSelector('[data-node]');
  return page;
}

test('the lean page stays lean: no read mode, no history lane', async () => {
  const page = await fresh('?p=leader-election');
  assert.equal(param(page, 'x'), null);
  assert.equal(await page.locator('#opt-read-mode').count(), 0);
  assert.equal(await page.locator('#history').count(), 0);
  noErrors();
});

test('a link to a stale lease read opens the extended module, and the checker marks the stale read', async () => {
  const page = await fresh('?p=stale-lease-read');
  assert.equal(param(page, 'x'), '1', 'handed to the extended module');
  assert.equal(param(page, 'p'), 'stale-lease-read');
  assert.equal(await page.locator('#opt-read-mode').inputValue(), 'lease');
  // Clock drift is drawn on every server. Run to 2 s (+1 s twice).
  await page.click('#ff');
  await page.click('#ff');
  await page.waitForFunction(() => document.querySelector('[data-prop="Linearizability"]')?.dataset.ok === 'false');
  assert.equal(await page.getAttribute('[data-node="1"] .drift', 'data-drift'), '0.8');
  assert.equal(await page.getAttribute('[data-node="2"] .drift', 'data-drift'), '1.2');
  // The history lane draws the operations and outlines the ones no order explains.
  const ops = +(await page.getAttribute('#history', 'data-ops'));
  assert.ok(ops >= 10, `${ops} operations drawn`);
  assert.ok(+(await page.getAttribute('#history', 'data-violations')) >= 1);
  const bad = page.locator('#history rect.op.violating');
  assert.ok(await bad.count() >= 2, 'a stale read and the write it missed');
  const text = await page.textContent('#history .violating-ops');
  assert.match(text, /No order of these operations explains their results/);
  assert.match(text, /get k0 → .* · S1 ·/, 'the stale read, answered by the cut-off S1');
  assert.ok(await page.locator('#history .seen').count() >= 1, 'where it became visible');
  await h.shot('extended-stale-lease-read');
  // "seen at event #N" seeks there, and the checker flags it at that event.
  const seen = page.locator('#history .violating-ops button').first();
  const at = (await seen.textContent()).match(/#(\d+)/)[1];
  await seen.click();
  assert.equal(await page.getAttribute('#event-count', 'data-event'), at);
  assert.equal(await page.getAttribute('[data-prop="Linearizability"]', 'data-ok'), 'false');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('[data-prop="Linearizability"]', 'data-ok'), 'true', 'not before');
  noErrors();
});

test('ReadIndex on the same run: no stale read', async () => {
  const page = await fresh('?p=stale-lease-read-index&x=1');
  assert.equal(await page.locator('#opt-read-mode').inputValue(), 'read_index');
  await page.click('#ff');
  await page.click('#ff');
  await page.waitForFunction(() => +document.querySelector('#history')?.dataset.ops >= 10);
  assert.equal(await page.getAttribute('[data-prop="Linearizability"]', 'data-ok'), 'true');
  assert.equal(await page.getAttribute('#history', 'data-violations'), '0');
  assert.equal(await page.locator('#history rect.op.violating').count(), 0);
  noErrors();
});

test('choosing an extended preset in the lean page opens the extended module', async () => {
  const page = await fresh('?p=leader-election');
  await Promise.all([page.waitForURL(/[?&]x=1/), page.selectOption('#preset', 'stale-lease-read-index')]);
  await page.waitForSelector('#history');
  assert.equal(param(page, 'p'), 'stale-lease-read-index');
  assert.equal(await page.locator('#preset').inputValue(), 'stale-lease-read-index');
  noErrors();
});

test('a file that needs the extended protocol is handed over to the extended module', async () => {
  const page = await fresh('?p=leader-election');
  const sc = { name: 'Lease reads', nodes: 4, seed: 9, raft: { read_mode: 'lease' } };
  await Promise.all([
    page.waitForURL(/[?&]x=1/),
    page.setInputFiles('#import', { name: 'lease.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sc)) }),
  ]);
  await page.waitForSelector('#history');
  assert.equal(await page.locator('[data-node]').count(), 4);
  assert.equal(await page.locator('#opt-read-mode').inputValue(), 'lease');
  assert.equal(await page.locator('#import-error').count(), 0);
  noErrors();
});

test('node menu: a client read and a clock rate; the read mode switches; a link replays all three', async () => {
  const page = await fresh('?p=leader-election&x=1');
  assert.match(await page.textContent('#history'), /No client operations yet/);
  await page.click('#ff');
  const leader = await page.getAttribute('.node.role-leader', 'data-node');
  // Write x=7 then read it back through the log.
  await page.click(`[data-node="${leader}"]`);
  await page.fill('#menu-value', '7');
  await page.click('#menu-send');
  await page.click('#menu-read');
  assert.equal(await page.getAttribute('#history', 'data-ops'), '2');
  await page.keyboard.press('Escape');
  await page.click('#ff');
  const read = page.locator('#history rect.op[data-op="2"]');
  assert.equal(await read.getAttribute('data-outcome'), 'done');
  assert.match(await read.locator('title').textContent(), /get x → 7/);
  // A follower's clock runs fast.
  const other = leader === '1' ? '2' : '1';
  await page.click(`[data-node="${other}"]`);
  await page.selectOption('#menu-drift', '1500000');
  await page.waitForSelector(`[data-node="${other}"] .drift`);
  assert.equal(await page.getAttribute(`[data-node="${other}"] .drift`, 'data-drift'), '1.5');
  await page.selectOption('#opt-read-mode', 'read_index');
  assert.match(await page.textContent('#feed li.current'), /ReadIndex|read_index/i);
  await h.shot('extended-menu');
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  assert.match(url, /[?&]x=1/);
  const again = h.watch(await h.context.newPage());
  await again.goto(url);
  await again.waitForSelector('#history');
  assert.equal(await again.getAttribute(`[data-node="${other}"] .drift`, 'data-drift'), '1.5');
  assert.equal(await again.locator('#opt-read-mode').inputValue(), 'read_index');
  assert.equal(await again.getAttribute('#history', 'data-ops'), '2');
  await again.close();
  noErrors();
});

test('A/B: one click opens the same run with the option flipped, in either module', async () => {
  const page = await fresh('?p=stale-lease-read');
  assert.equal(await page.textContent('#pair'), '⇄ Same run with ReadIndex');
  await page.click('#pair');
  await page.waitForFunction(() => document.querySelector('#preset').value === 'stale-lease-read-index');
  assert.equal(await page.locator('#opt-read-mode').inputValue(), 'read_index');
  assert.equal(await page.textContent('#pair'), '⇄ Same run with lease reads');
  // In the lean module: PreVote off → on.
  const lean = await fresh('?p=rejoin-without-prevote');
  assert.equal(await lean.isChecked('#opt-prevote'), false);
  await lean.click('#pair');
  await lean.waitForFunction(() => document.querySelector('#preset').value === 'rejoin-with-prevote');
  assert.equal(await lean.isChecked('#opt-prevote'), true);
  assert.equal(new URL(lean.url()).searchParams.get('x'), null);
  // A preset without a partner has no button.
  await fresh('?p=leader-election');
  assert.equal(await page.locator('#pair').count(), 0);
  noErrors();
});

test('the tour chapter on reads opens the extended module and steps forward and back', async () => {
  const page = await h.open('?tour=7.0');
  await page.waitForSelector('#tour-panel[data-tour-pos="7.0"]');
  await page.waitForSelector('#history');
  assert.equal(new URL(page.url()).searchParams.get('x'), '1', 'the lean page handed the step over');
  assert.match(await page.textContent('#tour-panel'), /Reads: leases and ReadIndex/);
  for (const pos of ['7.1', '7.2']) {
    await page.click('#tour-next');
    await page.waitForSelector(`#tour-panel[data-tour-pos="${pos}"]`);
  }
  await page.waitForFunction(() => document.querySelector('[data-prop="Linearizability"]')?.dataset.ok === 'false');
  assert.ok(await page.locator('#history rect.op.violating').count() >= 2);
  await h.shot('extended-tour-stale-read');
  await page.click('#tour-next');
  await page.waitForSelector('#tour-panel[data-tour-pos="7.3"]');
  await page.waitForFunction(() => document.querySelector('#preset')?.value === 'stale-lease-read-index');
  assert.equal(await page.getAttribute('[data-prop="Linearizability"]', 'data-ok'), 'true');
  await page.click('#tour-back');
  await page.waitForSelector('#tour-panel[data-tour-pos="7.2"]');
  await page.waitForFunction(() => document.querySelector('[data-prop="Linearizability"]')?.dataset.ok === 'false');
  noErrors();
});

test('the extended module in Chinese: no untranslated words in its controls, lane and verdict', async () => {
  const page = await fresh('?p=stale-lease-read&x=1&lang=zh');
  await page.click('#ff');
  await page.click('#ff');
  await page.waitForFunction(() => document.querySelector('[data-prop="Linearizability"]')?.dataset.ok === 'false');
  await page.click('[data-node="1"]');
  // Names, protocol vocabulary and the run's own data (keys, values).
  const allowed = new Set(['ringraft', 'Raft', 'RequestVote', 'AppendEntries', 'PreVote', 'CheckQuorum', 'TimeoutNow', 'ReadIndex',
    'English', 'ms', 'get', 'set', 'noop', 'no-op', 'log', 'next', 'match', 'leaderCommit', 'nextIndex', 'matchIndex', 'commitIndex', 'lastApplied', 'currentTerm', 'votedFor']);
  const words = await h.visibleWords(page);
  const bad = [...new Set(words.filter(w => !allowed.has(w) && !/^[kv]\d+$/.test(w)))];
  assert.deepEqual(bad, [], 'untranslated words');
  assert.match(await page.textContent('#history h2'), /客户端历史/);
  await h.shot('extended-zh');
  noErrors();
});

test('Raft features: a level reruns the same run to the same moment, keeps the previous run for A/B and shows where they part', async () => {
  const page = await fresh('?p=rejoin-without-prevote&x=1');
  await page.click('#ff');
  await page.click('#ff');
  const clock = await page.textContent('#clock');
  assert.equal(await page.locator('#features').inputValue(), '1', 'the default options are level 1 (+ no-op)');
  assert.equal(await page.locator('#ab').count(), 0);
  await page.selectOption('#features', '4');
  await page.waitForSelector('#ab[data-showing="B"]');
  await page.waitForSelector('#catchup', { state: 'detached' });
  assert.equal(await page.textContent('#clock'), clock, 'rerun to the same moment');
  assert.equal(await page.getAttribute('#ab-tag', 'data-run'), 'B', 'the scrubber says which run it moves');
  assert.equal(await page.isChecked('#opt-prevote'), true);
  assert.match(await page.textContent('#ab'), /On screen: run B \(\+ PreVote \(§9\.6\)\); run A \(\+ no-op entry \(§8\)\) is kept/);
  const seq = await page.getAttribute('#ab-diff', 'data-seq');
  assert.ok(+seq >= 1, `they part at event ${seq}`);
  assert.match(await page.textContent('#ab .ab-events'), /B: .*started.*A: .*started/s, 'each run\'s own event, on screen first');
  await h.shot('extended-ab');
  await page.click('#ab-diff');
  assert.equal(await page.getAttribute('#event-count', 'data-event'), seq);
  // Flip to A: its options and its own position.
  await page.click('#ab-flip');
  await page.waitForSelector('#ab[data-showing="A"]');
  assert.equal(await page.isChecked('#opt-prevote'), false);
  assert.equal(await page.getAttribute('#ab-tag', 'data-run'), 'A');
  assert.equal(await page.locator('#features').inputValue(), '1');
  assert.equal(await page.textContent('#clock'), clock);
  // The share link carries the run on screen (A) and reproduces it.
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  const again = h.watch(await h.context.newPage());
  await again.goto(url);
  await again.waitForSelector('[data-node]');
  assert.equal(await again.isChecked('#opt-prevote'), false);
  assert.equal(await again.textContent('#clock'), clock);
  await again.close();
  noErrors();
});

test('PreVote A/B: with PreVote the healed follower leaves the leader and its term alone, without it deposes it', async () => {
  const page = await fresh('?p=rejoin-without-prevote&x=1');
  for (let i = 0; i < 4; i++) await page.click('#ff'); // 4 s: the partition healed at 3 s
  const leaderTerm = () => page.evaluate(() => {
    const l = document.querySelector('.node.role-leader');
    return l && [l.dataset.node, +l.dataset.term];
  });
  const [, termA] = await leaderTerm();
  assert.ok(termA > 1, `without PreVote the rejoining S5's term deposed S1 (leader now in term ${termA})`);
  await page.selectOption('#features', '4');
  await page.waitForSelector('#ab[data-showing="B"]');
  await page.waitForSelector('#catchup', { state: 'detached' });
  assert.deepEqual(await leaderTerm(), ['1', 1], 'with PreVote S1 still leads term 1');
  assert.equal(await page.getAttribute('[data-node="5"]', 'data-term'), '1', 'S5 never raised its term');
  await page.click('#ab-flip');
  await page.waitForSelector('#ab[data-showing="A"]');
  assert.equal((await leaderTerm())[1], termA);
  noErrors();
});

test('an embedded figure of the extended protocol keeps its client history and the link keeps x=1', async () => {
  const page = await fresh('?p=stale-lease-read&x=1&embed=1&t=2000000');
  await page.waitForSelector('.raft-view.embed #history');
  assert.ok(+(await page.getAttribute('#history', 'data-violations')) >= 1, 'the stale read is marked');
  assert.equal(await page.locator('#opt-read-mode').count(), 0, 'no scenario bar in a figure');
  assert.equal(new URL(page.url()).searchParams.get('x'), '1');
  assert.equal(new URL(page.url()).searchParams.get('embed'), '1');
  await h.shot('extended-embed');
  noErrors();
});

test('a level change far into a long run reruns in slices with progress, and the page stays responsive', async () => {
  const page = await fresh('?p=leader-election&x=1&t=600000000');
  await page.waitForSelector('#catchup', { state: 'detached', timeout: 120000 });
  const clock = await page.textContent('#clock');
  await page.selectOption('#features', '5');
  await page.waitForSelector('#catchup');
  // Input waits little while the rerun works (zero-delay timers queued one after another).
  const worst = await page.evaluate(async () => {
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await new Promise(r => setTimeout(r, 0));
      worst = Math.max(worst, performance.now() - t);
    }
    return worst;
  });
  assert.ok(worst < 200, `input waited ${worst} ms`);
  await page.waitForSelector('#catchup', { state: 'detached', timeout: 120000 });
  assert.equal(await page.textContent('#clock'), clock, 'the rerun reached the same moment');
  assert.match(await page.textContent('#ab'), /No difference in the first 5000 events|They first differ/);
  noErrors();
});

test('with ReadIndex or leases on, the rules panel shows the reads block, lit by a read', async () => {
  const page = await fresh('?p=leader-election&x=1');
  await page.click('#pseudocode > summary');
  await page.waitForSelector('#pseudocode[data-ready="true"]');
  assert.equal(await page.locator('[data-block="raft.pc.rd"]').count(), 0, 'not with reads through the log');
  await page.selectOption('#opt-read-mode', 'read_index');
  await page.waitForSelector('[data-block="raft.pc.rd"]');
  // A read at the leader records its read index: the block's line is lit.
  await page.click('#ff');
  const leader = await page.getAttribute('.node.role-leader', 'data-node');
  await page.click(`[data-node="${leader}"]`);
  await page.click('#menu-read');
  await page.keyboard.press('Escape');
  for (let i = 0; i < 50; i++) {
    if (await page.locator('[data-block="raft.pc.rd"].active').count()) break;
    await page.keyboard.press('ArrowRight');
  }
  assert.equal(await page.locator('[data-block="raft.pc.rd"].active').count(), 1, 'a step ran a reads rule');
  await h.shot('extended-rules-reads');
  noErrors();
});

test('membership presets open in the extended module: a server joins and the cluster draws it; a snapshot is installed', async () => {
  // From the lean page: the picker lists them, a link naming one hands over.
  const lean = await fresh('?p=leader-election');
  assert.equal(await lean.locator('#preset option[value="add-server"]').count(), 1, 'the picker lists it');
  assert.equal(await lean.textContent('#preset option[value="joint-change"]'), 'Joint consensus: 3 → 5');
  const page = await fresh('?p=add-server&t=3500000');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('x') === '1');
  await page.waitForSelector('[data-node="4"]');
  assert.equal(await page.locator('[data-node]').count(), 4, 'S4 joined the three');
  await h.shot('membership-add-server');
  const snap = await fresh('?p=install-snapshot&x=1&t=3500000');
  await snap.waitForSelector('[data-node="3"]');
  await h.shot('membership-install-snapshot');
  noErrors();
});

test('membership in the page: a learner drawn until promoted, each server\'s configuration, the A/B pair, snapshot blocks', async () => {
  // 1.6 s: S4 joined as a learner and is being caught up (§4.2.1).
  const page = await fresh('?p=add-server&x=1&t=1600000');
  await page.waitForSelector('[data-node="4"]');
  assert.match(await page.getAttribute('[data-node="4"]', 'class'), /\blearner\b/, 'S4 drawn as a learner');
  assert.equal(await page.getAttribute('[data-node="4"] .member-tag', 'data-standing'), 'learner');
  assert.equal(await page.getAttribute('#members [data-cfg-node="1"]', 'data-voters'), '1,2,3');
  assert.equal(await page.getAttribute('#members [data-cfg-node="1"]', 'data-learners'), '4');
  assert.ok(await page.locator('#logs td.entry.config').count() >= 2, 'the configuration entry marked in the logs');
  assert.equal(await page.locator('.legend .entry.config').count(), 1, 'and in the legend');
  assert.equal(await page.locator('.legend-msgs .lg.is').count(), 1, 'InstallSnapshot in the message legend');
  await h.shot('membership-learner');
  // Two seconds on S4 has caught up and is a voter; the learner mark is gone.
  await page.click('#ff');
  await page.waitForFunction(() => document.querySelector('#members [data-cfg-node="1"]')?.dataset.voters === '1,2,3,4');
  assert.doesNotMatch(await page.getAttribute('[data-node="4"]', 'class'), /\blearner\b/);
  // The A/B pair: the same run without catch-up, in one click.
  assert.match(await page.textContent('#pair'), /without catch-up/);
  await page.click('#pair');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('p') === 'add-server-no-catch-up');
  // A snapshot: the compacted prefix is one block per row, with its last index and term.
  const snap = await fresh('?p=install-snapshot&x=1&t=3500000');
  const block = snap.locator('#logs td.snapshot-block').first();
  assert.ok(await block.count() === 1, 'a snapshot block');
  assert.ok(+(await block.getAttribute('data-snapshot')) > 0);
  assert.match(await block.textContent(), /snapshot ≤ \d+/);
  assert.ok(await snap.locator('#members .cfg-snap').count() >= 1, 'the configuration panel names the snapshots');
  await h.shot('membership-snapshot-block');
  noErrors();
});

test('membership from the page: add a server, remove the leader (it steps down), add it back; the share link reproduces it', async () => {
  const page = await fresh('?p=leader-election&x=1&t=1000000');
  const leader = await page.getAttribute('.node.role-leader', 'data-node');
  assert.ok(leader, 'a leader by 1 s');
  // Add S6 through the leader: a learner first.
  assert.match(await page.textContent('#add-server'), /S6/);
  await page.click('#add-server');
  await page.waitForSelector('[data-node="6"]');
  assert.match(await page.getAttribute('[data-node="6"]', 'class'), /\blearner\b/);
  await page.click('#ff');
  await page.waitForFunction(() => document.querySelector('#members [data-cfg-node="6"]')?.dataset.voters === '1,2,3,4,5,6');
  // Remove the leader from its menu: it manages the change without counting itself, then steps down (§4.2.2).
  await page.click(`[data-node="${leader}"]`);
  await page.click('#menu-remove');
  await page.click('#ff');
  await page.waitForFunction((id) => document.querySelector(`[data-node="${id}"]`)?.dataset.role !== 'leader', leader);
  assert.match(await page.getAttribute(`[data-node="${leader}"]`, 'class'), /\boutside\b/, 'drawn outside the cluster');
  const voters = await page.getAttribute('#members [data-cfg-node="6"]', 'data-voters');
  assert.ok(!voters.split(',').includes(leader), `${voters} without S${leader}`);
  await page.waitForSelector('.node.role-leader');
  await h.shot('membership-removed-leader');
  // Add it back from its menu (the server keeps its disk).
  await page.click(`[data-node="${leader}"]`);
  await page.click('#menu-add');
  await page.click('#ff');
  await page.click('#ff');
  await page.waitForFunction((id) => document.querySelector('#members [data-cfg-node="6"]')?.dataset.voters.split(',').includes(id), leader);
  // The share link opens exactly this state.
  const want = await page.evaluate(() => [...document.querySelectorAll('#members [data-cfg-node]')].map((r) => `${r.dataset.cfgNode}:${r.dataset.voters}/${r.dataset.learners}`).join(' '));
  const event = await page.getAttribute('#event-count', 'data-event');
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  await page.click('#share-open');
  assert.match(url, /[?&]x=1/, 'the link keeps the extended module');
  const again = await h.open(new URL(url).search);
  await again.waitForSelector('#members [data-cfg-node="6"]');
  await again.waitForFunction((e) => document.querySelector('#event-count')?.dataset.event === e, event);
  const got = await again.evaluate(() => [...document.querySelectorAll('#members [data-cfg-node]')].map((r) => `${r.dataset.cfgNode}:${r.dataset.voters}/${r.dataset.learners}`).join(' '));
  assert.equal(got, want);
  noErrors();
});

test('the tour chapter on adding a server: a learner, promoted, then the same run without catch-up stalls; back and forward', async () => {
  const page = await h.open('?tour=8.0');
  await page.waitForSelector('#tour-panel[data-tour-pos="8.0"]');
  await page.waitForSelector('[data-node="4"].learner');
  assert.equal(new URL(page.url()).searchParams.get('x'), '1', 'the extended module runs it');
  assert.match(await page.textContent('#tour-panel'), /Growing the cluster/);
  for (const pos of ['8.1', '8.2']) {
    await page.click('#tour-next');
    await page.waitForSelector(`#tour-panel[data-tour-pos="${pos}"]`);
  }
  await page.waitForFunction(() => document.querySelector('#members [data-cfg-node="1"]')?.dataset.voters === '1,2,3,4');
  await page.click('#tour-next');
  await page.waitForSelector('#tour-panel[data-tour-pos="8.3"]');
  await page.waitForFunction(() => document.querySelector('#preset')?.value === 'add-server-no-catch-up');
  // Without catch-up S4 is a voter at once: no learner drawn.
  assert.equal(await page.locator('[data-node="4"].learner').count(), 0);
  await h.shot('tour-add-server-no-catch-up');
  await page.click('#tour-back');
  await page.waitForSelector('#tour-panel[data-tour-pos="8.2"]');
  await page.waitForFunction(() => document.querySelector('#preset')?.value === 'add-server');
  noErrors();
});

test('snapshots and catch-up switched on their own in the bar: the log compacts under load, and the link replays it', async () => {
  const page = await fresh('?p=leader-election&x=1&t=600000');
  assert.equal(await page.locator('#opt-snapshots').inputValue(), '0', 'no compaction by default');
  assert.equal(await page.isChecked('#opt-catch-up'), true);
  await page.check('#client-load');
  await page.selectOption('#opt-snapshots', '10');
  await page.click('#ff');
  await page.click('#ff');
  await page.waitForSelector('#logs td.snapshot-block');
  assert.ok(+(await page.getAttribute('#logs td.snapshot-block', 'data-snapshot')) >= 10);
  await page.uncheck('#opt-catch-up');
  assert.equal(await page.isChecked('#opt-catch-up'), false);
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  await page.click('#share-open');
  const again = await h.open(new URL(url).search);
  await again.waitForSelector('#logs td.snapshot-block');
  assert.equal(await again.locator('#opt-snapshots').inputValue(), '10');
  assert.equal(await again.isChecked('#opt-catch-up'), false);
  noErrors();
});
