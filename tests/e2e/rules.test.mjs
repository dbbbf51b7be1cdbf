// The rules panel: Figure 2 as pseudocode, lit by the shown event's typed
// notes. Steps through an election and a rejected AppendEntries (the paper's
// Figure 7) and checks the lines and the values they compared, in English
// and in Chinese; the panel's text is fetched only when it is opened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start({ viewport: { width: 1280, height: 1000 } }); });
after(async () => { await h?.stop(); });

function noErrors() { assert.deepEqual(h.errors, []); }

/** Opens the rules panel and waits for its text. */
async function openRules(page) {
  await page.click('#pseudocode > summary');
  await page.waitForSelector('#pseudocode[data-ready="true"]');
}

/** Step forward (→) until `pred(lineState)` holds; returns that state. */
async function stepUntil(page, pred, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('ArrowRight');
    const lines = await page.$$eval('#pseudocode .pc-line', ls => ls.map(l => ({
      line: l.dataset.line, outcome: l.dataset.outcome || null,
      code: l.querySelector('code').textContent, value: l.querySelector('.pc-val')?.textContent || '',
    })));
    const event = +(await page.getAttribute('#pseudocode', 'data-event'));
    const lit = Object.fromEntries(lines.filter(l => l.outcome).map(l => [l.line, l]));
    if (pred(lit)) return { lit, lines, event };
  }
  assert.fail('the expected rule never ran');
}

async function fresh(query) {
  const page = await h.open(query);
  await page.waitForSelector('[data-node]');
  return page;
}

test('the rules text loads only when the panel is opened', async () => {
  const fetched = [];
  const page = await h.open('');
  page.on('request', r => { if (r.url().endsWith('extra.json')) fetched.push(r.url()); });
  await page.waitForSelector('[data-node]');
  assert.equal(await page.locator('#pseudocode .pc-line').count(), 0, 'closed: no lines drawn');
  assert.deepEqual(fetched, []);
  await openRules(page);
  assert.equal(fetched.length, 1);
  assert.ok(fetched[0].includes('/docs/ringraft/extra.json'), 'fetched next to index.html');
  assert.equal(await page.locator('#pseudocode .pc-block').count(), 6, 'Figure 2 has six boxes');
  noErrors();
});

test('an election lights the RequestVote rules with the values compared', async () => {
  const page = await fresh('?p=leader-election');
  await openRules(page);
  // A vote is granted: all three RequestVote receiver lines ran.
  const { lit, event } = await stepUntil(page, lit => lit['raft.pc.rv.3']?.outcome === 'fired');
  assert.equal(lit['raft.pc.rv.1'].outcome, 'passed');
  assert.equal(lit['raft.pc.rv.2'].outcome, 'passed');
  assert.match(lit['raft.pc.rv.2'].value, /votedFor ∈ \{null, S\d\} ✓/);
  assert.match(lit['raft.pc.rv.3'].value, /\(lastLogTerm 0, lastLogIndex 0\) ≥ ours \(0, 0\) → grant/);
  assert.match(lit['raft.pc.rv.3'].code, /at least as up-to-date/);
  assert.ok(event > 0);
  assert.match(await page.textContent('#pseudocode .pc-event'), new RegExp(`Event #${event} on S\\d`));
  // The same event in the feed, selected there, shows the same rules.
  assert.match(await page.textContent('#feed li.current'), /vote granted/);
  // Later the candidate counts its votes and becomes leader.
  const won = await stepUntil(page, lit => lit['raft.pc.cand.2']?.outcome === 'fired');
  assert.match(won.lit['raft.pc.cand.2'].value, /3 votes ≥ 3 → leader/);
  assert.equal(won.lit['raft.pc.lead.1'].outcome, 'fired');
  await page.locator('#pseudocode').scrollIntoViewIfNeeded();
  await h.shot('rules-election');
  noErrors();
});

test('Figure 7: a rejected AppendEntries shows the failed consistency check', async () => {
  const page = await fresh('?p=figure-7');
  await openRules(page);
  const { lit } = await stepUntil(page, lit => lit['raft.pc.ae.2']?.outcome === 'refused');
  assert.equal(lit['raft.pc.ae.1'].outcome, 'passed', 'term check passed first');
  assert.match(lit['raft.pc.ae.2'].value,
    /^(log\[\d+\]\.term \d+ ≠ prevLogTerm \d+ → false|log ends at \d+ < prevLogIndex \d+ → false)$/);
  assert.match(await page.textContent('#feed li.current'), /rejected/);
  // The leader's side: it backs up nextIndex and retries (§5.3).
  const back = await stepUntil(page, lit => lit['raft.pc.lead.5']?.outcome === 'fired');
  assert.match(back.lit['raft.pc.lead.5'].value, /nextIndex\[S\d\]: (\d+) → (\d+), retry/);
  const [, from, to] = back.lit['raft.pc.lead.5'].value.match(/: (\d+) → (\d+)/);
  assert.equal(+to, +from - 1, 'one entry per rejection');
  await page.locator('#pseudocode').scrollIntoViewIfNeeded();
  await h.shot('rules-figure-7');
  noErrors();
});

test('Chinese: the rules and their values are translated', async () => {
  const page = await fresh('?p=figure-7&lang=zh');
  await openRules(page);
  const { lit, lines } = await stepUntil(page, lit => lit['raft.pc.ae.2']?.outcome === 'refused');
  assert.ok(lines.every(l => /[\u4e00-\u9fff]/.test(l.code)), 'every line is Chinese');
  assert.match(lit['raft.pc.ae.2'].code, /prevLogIndex/);
  assert.match(lit['raft.pc.ae.2'].value, /(≠ prevLogTerm \d+ → false|日志结束于 \d+ < prevLogIndex \d+ → false)/);
  const text = await page.textContent('#pseudocode');
  assert.doesNotMatch(text, /raft\.[a-z]/, 'no missing keys');
  assert.match(text, /AppendEntries 接收方/);
  const vote = await fresh('?p=leader-election&lang=zh');
  await openRules(vote);
  const v = await stepUntil(vote, lit => lit['raft.pc.rv.3']?.outcome === 'fired');
  assert.match(v.lit['raft.pc.rv.3'].value, /≥ 我们的 \(0, 0\) → 投票/);
  await h.shot('rules-zh');
  noErrors();
});

test('selecting a message shows the rules of the event that delivered it', async () => {
  const page = await fresh('?p=leader-election');
  await openRules(page);
  await stepUntil(page, lit => lit['raft.pc.cand.2']?.outcome === 'fired');
  const now = +(await page.getAttribute('#pseudocode', 'data-event'));
  // An older message in the space-time diagram: the event that delivered it is earlier.
  const ids = await page.$$eval('#spacetime [data-st-msg]', es => es.map(e => +e.dataset.stMsg));
  assert.ok(ids.length > 0);
  const oldest = Math.min(...ids);
  await page.locator(`#spacetime [data-st-msg="${oldest}"]`).first().dispatchEvent('click');
  await page.waitForFunction(n => +document.querySelector('#pseudocode').dataset.event < n, now);
  assert.match(await page.textContent('#inspector'), new RegExp(`Message #${oldest}`));
  noErrors();
});

test('a rules file that cannot be loaded is said in the panel, and the page keeps working', async () => {
  const page = await h.open('');
  await page.waitForSelector('[data-node]');
  await page.route(/extra\.json$/, r => r.fulfill({ status: 404, body: 'gone' }));
  await page.click('#pseudocode > summary');
  await page.waitForSelector('#pseudocode .load-error');
  assert.match(await page.textContent('#pseudocode .load-error'), /Could not load the rules \(extra\.json: HTTP 404\)/);
  await page.click('#ff');
  assert.ok(+(await page.getAttribute('#event-count', 'data-event')) > 0, 'the run goes on');
  h.errors.length = 0; // the 404 itself is the console error this test provokes
});
