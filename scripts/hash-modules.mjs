// Trunk post-build hook: gives the modules Trunk builds as "workers" (the
// ring and cluster views) content-hashed file names, as Trunk does for its
// main app (the Raft view). Without it a browser or CDN could pair a cached
// JS glue with a newer wasm after a deploy. Every unhashed
// ringraft-<view>.js + ringraft-<view>_bg.wasm pair in the staging dir
// becomes ringraft-<view>-<hash>.js / _bg.wasm, and index.html's loader is
// rewritten to match. First, every module's imports get shorter names
// (scripts/short-imports.mjs), so the hashes are those of the final files.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { shortenFiles } from './short-imports.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('hash-modules: run by Trunk (TRUNK_STAGING_DIR is not set)'); process.exit(1); }
const htmlPath = join(dir, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
const files = new Set(readdirSync(dir));
// Each module's glue and wasm, hashed by Trunk (the main app) or not yet.
for (const js of files) {
  const m = js.match(/^(ringraft-[a-z]+)(-[0-9a-f]+)?\.js$/);
  const wasm = m && [...files].find(f => new RegExp(`^${m[1]}(-[0-9a-f]+)?_bg\\.wasm$`).test(f));
  if (!m) continue;
  if (!wasm) { console.error(`hash-modules: ${js} has no wasm`); process.exit(1); }
  shortenFiles(join(dir, js), join(dir, wasm));
}
const names = [...files].map(f => f.match(/^(ringraft-[a-z]+)\.js$/)?.[1]).filter(Boolean);
if (names.length === 0) { console.error('hash-modules: no unhashed module in the build'); process.exit(1); }
for (const name of names) {
  const js = `${name}.js`, wasm = `${name}_bg.wasm`;
  if (!files.has(wasm)) { console.error(`hash-modules: ${js} has no ${wasm}`); process.exit(1); }
  // (The loader names a worker's glue; its wasm is the glue's name with _bg.wasm.)
  if (!html.includes(js)) { console.error(`hash-modules: index.html's loader does not name ${name}`); process.exit(1); }
  const hash = createHash('sha256').update(readFileSync(join(dir, js))).update(readFileSync(join(dir, wasm))).digest('hex').slice(0, 16);
  renameSync(join(dir, js), join(dir, `${name}-${hash}.js`));
  renameSync(join(dir, wasm), join(dir, `${name}-${hash}_bg.wasm`));
  html = html.split(js).join(`${name}-${hash}.js`).split(wasm).join(`${name}-${hash}_bg.wasm`);
}
writeFileSync(htmlPath, html);
