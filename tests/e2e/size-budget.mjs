// Fails when the gzip -9 total of what the app page loads exceeds the budget
// in size-budget.json. Prints each file so the figure is visible in CI logs.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const budget = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8')).max_gzip_bytes;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
// What index.html references (Trunk writes relative, hashed names) plus the page itself.
const referenced = new Set(['index.html']);
// Attributes may be unquoted (Trunk's HTML minifier drops the quotes); the
// loader script names files in '', "" or `` strings.
for (const m of html.matchAll(/(?:href|src)=["']?\.?\/?([^"'\s>?#]+\.(?:js|wasm|css))/g)) referenced.add(m[1]);
for (const m of html.matchAll(/["'`]\.?\/?([A-Za-z0-9_.-]+\.(?:js|wasm))["'`]/g)) referenced.add(m[1]);
const present = new Set(readdirSync(dist));
let rawTotal = 0, gzTotal = 0;
for (const f of [...referenced].sort()) {
  if (!present.has(f)) { console.error(`size-budget: index.html references ${f}, which dist/ lacks`); process.exit(1); }
  const buf = readFileSync(join(dist, f));
  const gz = gzipSync(buf, { level: 9 }).length;
  rawTotal += buf.length; gzTotal += gz;
  console.log(`${f.padEnd(44)} ${String(buf.length).padStart(9)} B raw ${String(gz).padStart(8)} B gzip`);
}
console.log(`${'total'.padEnd(44)} ${String(rawTotal).padStart(9)} B raw ${String(gzTotal).padStart(8)} B gzip (budget ${budget})`);
if (!referenced.has('index.html') || ![...referenced].some(f => f.endsWith('.wasm'))) {
  console.error('size-budget: no .wasm referenced from index.html; the build looks wrong'); process.exit(1);
}
if (gzTotal > budget) { console.error(`size-budget: ${gzTotal} B gzip exceeds the budget of ${budget} B`); process.exit(1); }
