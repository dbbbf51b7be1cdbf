// The Hash ring view: moves match the native core, compare mode shows the
// mod-N vs ring contrast, lookups are explained, bad input is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { start, ROOT } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => { await h?.stop(); });

/** The native CLI on the same settings: the expected migration plan. */
function nativeRing(args) {
  const out = execFileSync('cargo', ['run', '--quiet', '--bin', 'ringraft', '--', 'ring', ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

async function openRing(query = '') {
  const page = await h.open(query);
  await h.view('ring', page);
  await page.waitForSelector('#ring-canvas');
  return page;
}

const num = async (page, sel, attr) => Number(await page.locator(sel).getAttribute(attr));

test('adding a node moves exactly the keys the core plans, all to the new node', async () => {
  const page = await openRing();
  assert.equal(await page.locator('#ring-nodes tbody tr').count(), 4);
  await page.click('#ring-add-node');
  await page.waitForSelector('#ring-moved');
  const moved = await num(page, '#ring-moved', 'data-moved');
  assert.equal(await num(page, '#ring-moved', 'data-keys'), 10000);
  // Internal consistency: the plan table adds up to the counter, and every move goes to E.
  const flows = await page.locator('#ring-plan tbody tr').evaluateAll(rows =>
    rows.map(r => ({ from: r.dataset.from, to: r.dataset.to, keys: Number(r.dataset.keys) })));
  assert.equal(flows.reduce((a, f) => a + f.keys, 0), moved);
  assert.ok(flows.every(f => f.to === 'E'), JSON.stringify(flows));
  assert.equal(await num(page, '#ring-nodes tr[data-node=E]', 'data-keys'), moved);
  // The counter text says the same.
  const text = (await page.locator('#ring-moved').textContent()).replace(/\u202f/g, ' ');
  assert.match(text, /of 10 000 keys moved \(\d+\.\d%\) — ideal 20\.0%/);
  // The native core, same settings, computes the same plan.
  const native = nativeRing(['--algo', 'ring', '--nodes', '4', '--vnodes', '100', '--keys', '10000', '--add', 'E']);
  assert.equal(moved, native.migration.moved);
  for (const f of native.migration.flows) {
    assert.equal(Number(await page.locator(`#ring-plan tr[data-from=${f.from}][data-to=${f.to}]`).getAttribute('data-keys')), f.keys);
  }
  // The move is animated, and the animation stops (nothing scheduled when idle).
  await page.waitForFunction(() => document.querySelector('#ring-canvas').dataset.animating === 'false', null, { timeout: 5000 });
  await h.shot('ring-added');
  // Remove it again: the keys go back.
  await page.click('.ring-remove-node[data-node=E]');
  await page.waitForFunction(m => document.querySelector('#ring-moved').dataset.moved === String(m), moved);
  assert.equal(await page.locator('#ring-nodes tbody tr').count(), 4);
  assert.deepEqual(h.errors, []);
});

test('compare mode: going 4 → 5 nodes, mod-N moves ~80% of keys and the ring ~20%', async () => {
  const page = await openRing();
  await page.click('#ring-compare-toggle');
  await page.waitForSelector('#compare-table');
  const frac = async a => num(page, `#compare-table tr[data-algo=${a}]`, 'data-moved-fraction');
  const modn = await frac('modn'), ring = await frac('ring');
  assert.ok(modn > 0.75 && modn < 0.85, `mod-N moved ${modn}`);
  assert.ok(ring > 0.14 && ring < 0.26, `ring moved ${ring}`);
  assert.equal(await page.locator('#compare-table tbody tr').count(), 6);
  assert.match(await page.locator('#compare-table tr[data-algo=modn] th').textContent(), /seed/);
  for (const a of ['jump', 'rendezvous', 'maglev', 'bounded']) {
    assert.ok(await frac(a) < 0.5, `${a} moved ${await frac(a)}`);
  }
  // Natively, mod-N with the same keys moves the same number.
  const native = nativeRing(['--algo', 'modn', '--nodes', '4', '--keys', '10000', '--add', 'E']);
  assert.equal(await num(page, '#compare-table tr[data-algo=modn]', 'data-moved'), native.migration.moved);
  await page.locator('#ring-compare').scrollIntoViewIfNeeded();
  await h.shot('ring-compare');
  assert.deepEqual(h.errors, []);
});

test('a typed key and a clicked key are explained step by step', async () => {
  const page = await openRing();
  await page.fill('#ring-key-input', 'key-42');
  await page.click('#ring-lookup');
  await page.waitForSelector('#ring-explain');
  const owner = await page.locator('#ring-explain').getAttribute('data-owner');
  assert.ok(['A', 'B', 'C', 'D'].includes(owner));
  const steps = await num(page, '#ring-explain', 'data-steps');
  assert.ok(steps >= 6, `only ${steps} steps`);
  assert.match(await page.locator('#ring-explain li[data-step="0"]').textContent(), /XXH3-64/);
  assert.match(await page.locator('#ring-explain').textContent(), /Binary search 1/);
  assert.equal(await page.locator('#ring-explain').getAttribute('data-current-step'), '0');
  await page.click('#explain-next');
  await page.click('#explain-next');
  assert.equal(await page.locator('#ring-explain').getAttribute('data-current-step'), '2');
  assert.equal(await page.locator('.mark-range').count(), 1, 'the probe window is drawn');
  await h.shot('ring-probe');
  await page.click('#explain-back');
  assert.equal(await page.locator('#ring-explain').getAttribute('data-current-step'), '1');
  // Keyboard: Next is reachable and works with Enter.
  await page.focus('#explain-next');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#ring-explain').getAttribute('data-current-step'), '2');
  // Replicas: the walk skips vnodes of nodes already chosen.
  await page.fill('#ring-replicas', '3');
  await page.press('#ring-replicas', 'Enter');
  await page.waitForFunction(() => /Preference list/.test(document.querySelector('#ring-explain').textContent));
  // The last step is the preference list; go there with Next.
  const n = await num(page, '#ring-explain', 'data-steps');
  const cur = await num(page, '#ring-explain', 'data-current-step');
  for (let i = cur; i < n - 1; i++) await page.click('#explain-next');
  assert.ok(await page.locator('#explain-next').isDisabled());
  assert.match(await page.locator('#ring-explain li.current').textContent(), /Preference list: \w, \w, \w\./);
  assert.equal(await page.locator('.ring-overlay .badge.owner').count(), 3, 'the preference list is highlighted');
  await h.shot('ring-explain');
  // Click on the drawing: the nearest key is explained.
  await page.click('#ring-canvas', { position: { x: 400, y: 100 } });
  await page.waitForFunction(() => document.querySelector('#ring-explain').dataset.key !== 'key-42');
  assert.match(await page.locator('#ring-explain').getAttribute('data-key'), /^key-\d+$/);
  assert.deepEqual(h.errors, []);
});

test('bad input shows a message and keeps the state', async () => {
  const page = await openRing();
  const snapshot = () => page.locator('#ring-nodes tbody tr').evaluateAll(rows =>
    rows.map(r => `${r.dataset.node}:${r.dataset.keys}:${r.children[2].textContent}`).join(' '));
  const start = await snapshot();
  const bad = async (sel, value, re) => {
    await page.fill(sel, value);
    await page.press(sel, 'Enter');
    await page.waitForSelector('#ring-error:not(.empty)');
    assert.match(await page.locator('#ring-error').textContent(), re);
    assert.equal(await snapshot(), start, `${sel}=${value} changed the state`);
    await page.click('#ring-error button');
  };
  await bad('#ring-vnodes', '0', /Vnodes per node must be a whole number from 1 to 1000 \(got 0\)/);
  await bad('#ring-vnodes', '1000000000', /got 1000000000/);
  await bad('#ring-vnodes', 'lots', /not a number/);
  await bad('#ring-nodes tr[data-node=A] .ring-weight', '-3', /weight must be a number from 0 to 16 \(got -3\)/i);
  await bad('#ring-keys', '0', /key count/);
  await bad('#ring-replicas', '99', /Replicas/);
  await page.fill('#ring-key-input', '   ');
  await page.click('#ring-lookup');
  await page.waitForSelector('#ring-error:not(.empty)');
  assert.match(await page.locator('#ring-error').textContent(), /Type a key/);
  // All weights 0 is refused by the core, reported in the page.
  for (const n of ['A', 'B', 'C']) {
    await page.fill(`#ring-nodes tr[data-node=${n}] .ring-weight`, '0');
    await page.press(`#ring-nodes tr[data-node=${n}] .ring-weight`, 'Enter');
  }
  await page.waitForFunction(() => document.querySelector('#ring-nodes tr[data-node=D]').dataset.keys === '10000');
  await page.fill('#ring-nodes tr[data-node=D] .ring-weight', '0');
  await page.press('#ring-nodes tr[data-node=D] .ring-weight', 'Enter');
  await page.waitForSelector('#ring-error:not(.empty)');
  assert.match(await page.locator('#ring-error').textContent(), /weight 0/);
  assert.equal(await page.locator('#ring-nodes tr[data-node=D]').getAttribute('data-keys'), '10000');
  await h.shot('ring-error');
  assert.deepEqual(h.errors, []);
});

test('settings: algorithm, vnodes and key count; the sweep chart is live', async () => {
  const page = await openRing();
  assert.equal(await page.locator('#ring-sweep .pt').count(), 10);
  const cv = async v => Number(await page.locator(`#ring-sweep .pt[data-vnodes="${v}"]`).getAttribute('data-cv'));
  assert.ok(await cv(1) > await cv(512), 'more vnodes, better balance');
  await page.fill('#ring-vnodes', '20');
  await page.press('#ring-vnodes', 'Enter');
  await page.waitForSelector('#ring-moved');
  assert.ok(await num(page, '#ring-moved', 'data-moved') > 0);
  await page.selectOption('#ring-algo', 'modn');
  await page.waitForSelector('#ring-view[data-algo=modn]');
  await page.fill('#ring-keys', '500');
  await page.press('#ring-keys', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('#ring-nodes tbody tr')]
    .reduce((a, r) => a + Number(r.dataset.keys), 0) === 500);
  await page.click('#ring-add-node');
  await page.click('#ring-add-node');
  assert.equal(await page.locator('#ring-view').getAttribute('data-nodes'), '6');
  assert.deepEqual(h.errors, []);
});

test('reduced motion: the result is shown without animating', async () => {
  const page = await openRing();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.click('#ring-add-node');
  await page.waitForSelector('#ring-moved');
  assert.equal(await page.locator('#ring-canvas').getAttribute('data-animating'), 'false');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.deepEqual(h.errors, []);
});

test('the Chinese UI has no untranslated strings', async () => {
  const page = await openRing('?lang=zh');
  await page.click('#ring-compare-toggle');
  await page.fill('#ring-key-input', 'key-7');
  await page.click('#ring-lookup');
  await page.click('#ring-add-node');
  await page.fill('#ring-vnodes', '-3');
  await page.press('#ring-vnodes', 'Enter');
  await page.waitForSelector('#ring-error:not(.empty)');
  const text = await page.locator('#ring-view').innerText();
  assert.doesNotMatch(text, /\bring\.[a-z_.]+/, 'a raw i18n key is shown');
  for (const en of ['Add node', 'Compare algorithms', 'Migration plan', 'Binary search', 'keys moved', 'Vnodes per node']) {
    assert.ok(!text.includes(en), `English left in the Chinese UI: ${en}`);
  }
  assert.match(text, /迁移计划/);
  await h.shot('ring-zh');
  assert.deepEqual(h.errors, []);
});

test('a refused weight is reset to the value in force; changing settings keeps working', async () => {
  const page = await openRing();
  const weightA = '#ring-nodes tr[data-node=A] .ring-weight';
  await page.fill(weightA, '-3');
  await page.press(weightA, 'Enter');
  await page.waitForSelector('#ring-error:not(.empty)');
  assert.match(await page.locator('#ring-error').textContent(), /got -3/);
  await page.waitForFunction(sel => document.querySelector(sel).value === '1', weightA);
  await page.fill('#ring-vnodes', 'lots');
  await page.press('#ring-vnodes', 'Enter');
  await page.waitForFunction(() => document.querySelector('#ring-vnodes').value === '100');
  await page.click('#ring-error button');
  // A good weight still goes through afterwards, and so do other settings.
  await page.fill(weightA, '2');
  await page.press(weightA, 'Enter');
  await page.waitForSelector('#ring-moved');
  assert.equal(await page.inputValue(weightA), '2');
  assert.equal(await page.locator('#ring-error.empty').count(), 1);
  await page.fill('#ring-replicas', '2');
  await page.press('#ring-replicas', 'Enter');
  await page.click('#ring-add-node');
  await page.waitForSelector('#ring-view[data-nodes="5"]');
  assert.equal(await page.inputValue('#ring-replicas'), '2');
  assert.deepEqual(h.errors, []);
});

test('the sweep is recomputed after a membership change, off the click path', async () => {
  const page = await openRing();
  assert.equal(await page.locator('#ring-sweep').getAttribute('data-stale'), 'false');
  await page.click('#ring-add-node');
  await page.waitForSelector('#ring-view[data-nodes="5"]');
  // Catches up shortly after the click, for the new node set.
  await page.waitForSelector('#ring-sweep[data-stale=false]', { timeout: 5000 });
  assert.match(await page.locator('#ring-sweep p.muted').first().textContent(), /current 5 nodes/);
  assert.equal(await page.locator('#ring-sweep .pt').count(), 10);
  assert.deepEqual(h.errors, []);
});
