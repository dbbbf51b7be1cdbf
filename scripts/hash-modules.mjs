// Trunk post-build hook: gives the ring and cluster modules content-hashed
// file names, as Trunk does for the Raft module (its main app). Trunk builds
// those two as "workers", which keep fixed names; a browser or CDN could
// then pair a cached JS glue with a newer wasm after a deploy. Renames
// ringraft-<view>.js and ringraft-<view>_bg.wasm in the staging dir to
// ringraft-<view>-<hash>.js / _bg.wasm and rewrites index.html's loader.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('hash-modules: run by Trunk (TRUNK_STAGING_DIR is not set)'); process.exit(1); }
const htmlPath = join(dir, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const name of ['ringraft-ring', 'ringraft-cluster']) {
  const js = join(dir, `${name}.js`), wasm = join(dir, `${name}_bg.wasm`);
  if (!existsSync(js) || !existsSync(wasm)) { console.error(`hash-modules: ${name}.js or its wasm is missing`); process.exit(1); }
  const hash = createHash('sha256').update(readFileSync(js)).update(readFileSync(wasm)).digest('hex').slice(0, 16);
  if (!html.includes(`${name}.js`) || !html.includes(`${name}_bg.wasm`)) {
    console.error(`hash-modules: index.html's loader does not name ${name}`); process.exit(1);
  }
  renameSync(js, join(dir, `${name}-${hash}.js`));
  renameSync(wasm, join(dir, `${name}-${hash}_bg.wasm`));
  html = html.split(`${name}.js`).join(`${name}-${hash}.js`).split(`${name}_bg.wasm`).join(`${name}-${hash}_bg.wasm`);
}
writeFileSync(htmlPath, html);
