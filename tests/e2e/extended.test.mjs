// The extended protocol in the page: the bundled PreVote / CheckQuorum /
// transfer scenarios load on demand (presets.json), the cluster draws
// pre-candidates and the new messages, and the rules panel shows the
// PreVote block lit with the values compared, in English and in Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 1280, height: 1000 } }); });
after(async () => { await h?.stop(); });

function noErrors() { assert.deepEqual(h.errors, []); }

async function fresh(query) {
  const page = await h.open(query);
  await page.waitForSelector('[data-node]');
  return page;
}

/** Step forward (→) until `pred(page)` resolves true. */
async function stepUntil(page, pred, max = 600) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('ArrowRight');
    if (await pred(page)) return;
  }
  assert.fail('never happened');
}

test('presets other than the default are fetched when first named', async () => {
  const fetched = [];
  const page = await h.open('');
  page.on('request', r => { if (r.url().endsWith('presets.json')) fetched.push(r.url()); });
  await page.waitForSelector('[data-node]');
  assert.deepEqual(fetched, [], 'the first screen does not download them');
  await page.selectOption('#preset', 'rejoin-with-prevote');
  await page.waitForFunction(() => document.querySelector('#about summary')?.textContent === 'Rejoin with PreVote');
  assert.equal(fetched.length, 1);
  // A second pick uses what arrived.
  await page.selectOption('#preset', 'leader-transfer');
  await page.waitForFunction(() => document.querySelector('#about summary')?.textContent === 'Leadership transfer');
  assert.equal(fetched.length, 1);
  noErrors();
});

test('a link to a preset that cannot be fetched says so and shows the default', async () => {
  // Its own page: the failed fetch's console line is expected here.
  const page = await h.context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.route('**/presets.json', r => r.fulfill({ status: 404, body: 'gone' }));
  await page.goto(h.server.url + '?p=figure-8');
  await page.waitForSelector('[data-node]');
  assert.match(await page.textContent('.load-error'), /“figure-8” could not be loaded \(presets\.json: HTTP 404\)/);
  assert.equal(await page.inputValue('#preset'), 'leader-election');
  assert.deepEqual(errors, []);
  await page.close();
});

test('PreVote: a pre-candidate asks without raising its term, and the rules show why', async () => {
  const page = await fresh('?p=rejoin-with-prevote');
  await page.click('#pseudocode > summary');
  await page.waitForSelector('#pseudocode[data-ready="true"]');
  // The PreVote block is there from the start (the option is on).
  assert.ok(await page.locator('#pseudocode [data-block="raft.pc.pv"]').count() === 1);
  // S1's forced timeout makes it a pre-candidate in term 0.
  await stepUntil(page, p => p.locator('.node.role-pre-candidate').count().then(n => n > 0));
  const lit = await page.$eval('#pseudocode [data-line="raft.pc.pv.1"]', l => ({ o: l.dataset.outcome, v: l.querySelector('.pc-val')?.textContent }));
  assert.deepEqual(lit, { o: 'fired', v: 'PreVote for term 1' });
  assert.match(await page.textContent('.node.role-pre-candidate'), /T0/);
  assert.match(await page.textContent('#cluster, .cluster-wrap'), /pre-votes 1\/3/);
  // A PreVote in flight is drawn as its own kind.
  await stepUntil(page, p => p.locator('#pseudocode [data-line="raft.pc.pv.5"][data-outcome="fired"]').count().then(n => n > 0));
  assert.match(await page.textContent('#pseudocode [data-line="raft.pc.pv.5"] .pc-val'), /≥ ours \(0, 0\) → would vote/);
  assert.match(await page.textContent('#feed li.current'), /PreVote reply: would vote/);
  assert.ok(await page.locator('.msg.pv-yes, .msg.pv').count() > 0, 'pre-votes drawn on the wire');
  assert.match(await page.textContent('.legend-msgs'), /PreVote.*TimeoutNow/, 'and in the legend');
  await page.locator('#pseudocode').scrollIntoViewIfNeeded();
  await h.shot('extended-prevote');
  // In Chinese, the same lines in Chinese.
  await page.selectOption('#lang-select', 'zh');
  await page.waitForFunction(() => document.querySelector('#pseudocode [data-line="raft.pc.pv.5"] code')?.textContent.includes('候选人'));
  assert.match(await page.textContent('#pseudocode [data-line="raft.pc.pv.5"] .pc-val'), /愿意投票/);
  noErrors();
});

test('CheckQuorum: the isolated leader steps down and the rules say it heard from too few', async () => {
  const page = await fresh('?p=check-quorum');
  await page.click('#pseudocode > summary');
  await page.waitForSelector('#pseudocode[data-ready="true"]');
  await stepUntil(page, p => p.locator('#pseudocode [data-line="raft.pc.ext.1"][data-outcome="refused"]').count().then(n => n > 0), 2000);
  assert.match(await page.textContent('#pseudocode [data-line="raft.pc.ext.1"] .pc-val'), /heard from 1 < 3 → follower/);
  assert.match(await page.textContent('#feed li.current'), /CheckQuorum: heard from only 1 of 3 needed: stepped down/);
  noErrors();
});

test('a leadership transfer hands over to S3 with TimeoutNow', async () => {
  const page = await fresh('?p=leader-transfer&e=0');
  await stepUntil(page, p => p.textContent('#feed li.current').then(t => /TimeoutNow/.test(t)), 3000);
  await stepUntil(page, p => p.getAttribute('[data-node="3"]', 'class').then(c => c.includes('role-leader')), 400);
  await h.shot('extended-transfer');
  noErrors();
});

test('PreVote and CheckQuorum switch in the run, and a link replays the switch', async () => {
  const page = await fresh('?p=leader-election');
  assert.equal(await page.isChecked('#opt-prevote'), false);
  await page.check('#opt-prevote');
  assert.match(await page.textContent('#feed li.current'), /protocol options: PreVote ✓/);
  assert.equal(await page.isChecked('#opt-prevote'), true);
  await page.click('#share-open');
  const url = await page.locator('#share-url').inputValue();
  assert.match(url, /[?&]a=/);
  const other = h.watch(await h.context.newPage());
  await other.goto(url);
  await other.waitForSelector('[data-node]');
  assert.equal(await other.isChecked('#opt-prevote'), true, 'the link reproduces the option');
  assert.equal(await other.isChecked('#opt-checkquorum'), false);
  await other.close();
  noErrors();
});

test('the node menu hands leadership to a server', async () => {
  const page = await fresh('?p=leader-election');
  // Run until there is a leader.
  await page.click('#ff');
  const leader = await page.getAttribute('.node.role-leader', 'data-node');
  const target = leader === '2' ? '3' : '2';
  await page.click(`[data-node="${target}"]`);
  await page.click('#menu-transfer');
  assert.match(await page.textContent('#feed li.current'), new RegExp(`transfer leadership to S${target}|handing leadership to S${target}`));
  await page.click('#ff');
  assert.equal(await page.getAttribute('.node.role-leader', 'data-node'), target);
  noErrors();
});

test('the tour chapter on PreVote and CheckQuorum shows each gap and its fix', async () => {
  const page = await h.open('?tour=6.1');
  await page.waitForSelector('#tour-panel[data-tour-pos="6.1"]');
  assert.match(await page.textContent('#tour-panel'), /Staying available: PreVote and CheckQuorum/);
  await page.waitForSelector('[data-node]');
  const leader = () => page.evaluate(() => { const l = document.querySelector('.node.role-leader'); return l && +l.dataset.term; });
  assert.ok(await leader() > 1, 'without PreVote the healed S5 forced a new term');
  await page.click('#tour-next');
  await page.waitForSelector('#tour-panel[data-tour-pos="6.2"]');
  await page.waitForFunction(() => document.querySelector('#preset')?.value === 'rejoin-with-prevote');
  assert.equal(await leader(), 1, 'with PreVote S1 still leads term 1');
  assert.equal(await page.getAttribute('[data-node="5"]', 'data-term'), '1');
  await page.click('#tour-next');
  await page.click('#tour-next');
  await page.waitForSelector('#tour-panel[data-tour-pos="6.4"]');
  await page.waitForFunction(() => document.querySelector('#preset')?.value === 'check-quorum');
  assert.notEqual(await page.getAttribute('[data-node="1"]', 'data-role'), 'leader', 'S1 stepped down on its own');
  await h.shot('tour-checkquorum');
  noErrors();
});
