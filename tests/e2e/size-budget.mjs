// Fails when the gzip -9 total of what the app page loads exceeds the budget
// in size-budget.json. The page is split into one wasm module per view
// (index.html's loader imports only the one the address names), so what a
// page loads is index.html, its CSS and ONE module (JS glue + wasm); the
// budget holds for each view's page. The Raft view's extended module (x=1
// links: reads, sessions, drift, the history checker) is loaded only on
// demand, instead of the Raft module, and has its own budget
// (`extended_max_gzip_bytes`). Prints each file so the figures are
// visible in CI logs.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const budgets = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));
const budget = budgets.max_gzip_bytes;
const budgetOf = (view) => view === 'extended' ? budgets.extended_max_gzip_bytes : budget;
if (!(budgetOf('extended') > 0)) fail('size-budget.json has no extended_max_gzip_bytes');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const present = new Set(readdirSync(dist));
const fail = (msg) => { console.error(`size-budget: ${msg}`); process.exit(1); };

// Attributes may be unquoted (Trunk's HTML minifier drops the quotes); the
// loader script names files in '', "" or `` strings.
const css = [...html.matchAll(/href=["']?\.?\/?([^"'\s>?#]+\.css)/g)].map(m => m[1]);
const named = [...html.matchAll(/["'`]\.?\/?([A-Za-z0-9_.-]+\.(?:js|wasm))["'`]/g)].map(m => m[1]);
// `first`: the default address's first screen (index.html and the first
// screen's module, src/ui/raft/first.rs), which plays the default run until
// the Raft module, fetched after it, takes over; under the same budget.
const VIEWS = ['raft', 'ring', 'cluster', 'extended', 'first'];
const modules = VIEWS.map(view => {
  const js = named.find(f => f.startsWith(`ringraft-${view}`) && f.endsWith('.js'));
  if (!js) fail(`index.html's loader names no module for the ${view} view`);
  // A module's wasm is named next to its JS (Trunk's main app) or sits beside it as <name>_bg.wasm.
  const wasm = named.find(f => f.startsWith(`ringraft-${view}`) && f.endsWith('.wasm')) || js.replace(/\.js$/, '_bg.wasm');
  // Content-hashed names (Trunk for the Raft module, scripts/hash-modules.mjs for the others).
  // Trunk prints its 64-bit hash without leading zeros (15 digits one time in 16).
  for (const f of [js, wasm]) if (!/-[0-9a-f]{12,16}(_bg)?\.(js|wasm)$/.test(f)) fail(`${f} has no content hash in its name`);
  return { view, files: ['index.html', ...css, js, wasm] };
});

const sizes = new Map();
const size = (f) => {
  if (!sizes.has(f)) {
    if (!present.has(f)) fail(`index.html references ${f}, which dist/ lacks`);
    const buf = readFileSync(join(dist, f));
    sizes.set(f, { raw: buf.length, gz: gzipSync(buf, { level: 9 }).length });
  }
  return sizes.get(f);
};
let worst = 0, over = [];
for (const { view, files } of modules) {
  let raw = 0, gz = 0;
  console.log(`-- the ${view} view's page`);
  for (const f of files) {
    const s = size(f);
    raw += s.raw; gz += s.gz;
    console.log(`   ${f.padEnd(44)} ${String(s.raw).padStart(9)} B raw ${String(s.gz).padStart(8)} B gzip`);
  }
  console.log(`   ${'total'.padEnd(44)} ${String(raw).padStart(9)} B raw ${String(gz).padStart(8)} B gzip`);
  if (view !== 'extended') worst = Math.max(worst, gz);
  if (gz > budgetOf(view)) over.push(`the ${view} page's ${gz} B gzip exceeds its budget of ${budgetOf(view)} B`);
}
// The default address fetches both: the first screen, then the Raft module.
const all = ['raft', 'first'].flatMap(v => modules.find(m => m.view === v).files);
console.log(`the default address in all (first screen, then the Raft module): ${[...new Set(all)].reduce((n, f) => n + size(f).gz, 0)} B gzip`);
console.log(`heaviest first-load page: ${worst} B gzip (budget ${budget}); extended module budget ${budgetOf('extended')}`);
if (over.length) fail(over.join('; '));
