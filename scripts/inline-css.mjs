// Trunk post-build hook: the page's style sheets (index.html's data-trunk
// css links: style.css, raft.css) go into index.html as one <style>. The
// first picture (scripts/prerender.mjs) then needs nothing but the HTML:
// no request more on a phone, where the module's bytes already fill the
// line, and one gzip stream with the markup it styles (the two files cost
// 673 B gzip more; src/lean/mod.rs lists it with the other size measures).
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) { console.error('inline-css: run by Trunk (TRUNK_STAGING_DIR is not set)'); process.exit(1); }
const htmlPath = join(dir, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
const links = [...html.matchAll(/<link href=\.\/([\w-]+\.css)[^>]*rel=stylesheet>/g)];
if (links.length === 0) { console.error('inline-css: index.html links no style sheet'); process.exit(1); }
const css = links.map((m) => readFileSync(join(dir, m[1]), 'utf8')).join('\n');
if (css.includes('</')) { console.error('inline-css: a style sheet holds "</"'); process.exit(1); }
for (const m of links) unlinkSync(join(dir, m[1]));
// (A function: `$` in the CSS is no replacement pattern.)
links.forEach((m, k) => { html = html.replace(m[0], () => (k === 0 ? `<style>${css}</style>` : '')); });
writeFileSync(htmlPath, html);
