// Trunk post-build step (scripts/post-build.mjs, last), issue 17 goal 3: the first
// screen drawn before the wasm arrives. It opens the staged build in headless
// Chromium at the default address, waits for the Raft view's first frame, and
// writes that picture into index.html as `<div id="prerender">`: inert, hidden
// from assistive tech, shown only where it is exactly what the module will
// draw (no query, a page not read in Chinese: the loader in Trunk.toml sets
// `<html class="pre">`). The app removes it on its first render (the
// address effect in src/ui/app.rs's App), in the same task, so no frame shows
// both. Attributes that change nothing on screen (ids and data-* no style
// names, aria-*, roles, titles) are left out: the picture costs bytes on
// every first load, and so do the panels a first screen does not reach
// (logs, space-time, events), which arrive with the module. `data-node`
// stays so a benchmark can count servers.
//
// Without Chromium (a machine that skipped scripts/setup.sh), or when the
// picture cannot be taken, the build is left as it is, with a warning: the
// page then draws when its module runs (and tests/e2e/first-screen.test.mjs
// fails).
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) { console.error('prerender: run by Trunk (TRUNK_STAGING_DIR is not set)'); process.exit(1); }
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The browser tests' harness (its static server, Chromium's flags); it
// needs playwright-core, which a machine that skipped setup.sh lacks.
let harness;
try {
  harness = await import('../tests/e2e/harness.mjs');
} catch { /* below */ }
if (!harness || !existsSync(CHROMIUM)) {
  console.warn(`prerender: no ${harness ? CHROMIUM : 'playwright-core'} (scripts/setup.sh installs both); index.html keeps no first picture`);
  process.exit(0);
}
const { chromium } = await import('playwright-core');
const [server, url] = await harness.serveGzip(dir);
let browser, picture;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: harness.ARGS });
  const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('.shell[data-module=raft]') && document.querySelectorAll('[data-node]').length >= 1, null, { timeout: 30000 });
  if (errors.length) throw new Error(errors[0]);
  picture = await page.evaluate(() => {
    // What the style sheets can see: attribute names and ids they select on.
    let css = '';
    for (const s of document.styleSheets) for (const r of s.cssRules) css += r.cssText;
    const keep = (a) => (a.name === 'id' ? css.includes('#' + a.value) : a.name.startsWith('data-') ? a.name === 'data-node' || css.includes('[' + a.name) : !/^(aria-|role$|title$|for$|name$|tabindex$)/.test(a.name));
    const live = document.querySelector('.shell');
    // What a form control shows lives in properties, which a copy loses.
    for (const i of live.querySelectorAll('input')) {
      if (i.type === 'checkbox') i.toggleAttribute('checked', i.checked);
      else if (i.type !== 'file') i.setAttribute('value', i.value);
    }
    // A select shows only its chosen option, at the width its longest gave
    // it. (Not the language picker: its 中文 brings a font that moves the
    // chosen option's text by a pixel.)
    const widths = [...live.querySelectorAll('select')].map((s) => s.getBoundingClientRect().width);
    const shell = live.cloneNode(true);
    shell.querySelectorAll('select').forEach((s, k) => {
      if (s.closest('.lang')) return;
      s.style.width = `${widths[k]}px`;
      s.querySelectorAll('option:not([selected])').forEach((o) => o.remove());
    });
    // Not on the first screen: the panels below the side column's first
    // three (they come with the module) and what follows them (it would
    // stand where they go), the bodies of closed <details>, SVG tooltips.
    shell.querySelectorAll('#logs, #spacetime, #feed, .keys-help, footer, details:not([open]) > :not(summary), title').forEach((e) => e.remove());
    for (const el of [shell, ...shell.querySelectorAll('*')]) {
      for (const a of [...el.attributes]) {
        if (!keep(a)) el.removeAttribute(a.name);
        // (SVG coordinates: "200.0" draws as "200".)
        else if (el instanceof SVGElement) el.setAttribute(a.name, a.value.replace(/(\d)\.0\b/g, '$1'));
      }
    }
    shell.removeAttribute('data-module');
    return shell.outerHTML;
  });
} catch (e) {
  // (The page still works, drawn when its module runs; the browser tests
  // say when the picture is missing.)
  console.warn(`prerender: no first picture in index.html: ${String(e).split('\n')[0]}`);
} finally {
  await browser?.close();
  server.close();
}
if (picture === undefined) process.exit(0);
const htmlPath = join(dir, 'index.html');
const html = await readFile(htmlPath, 'utf8');
if (!/<body>/.test(html)) { console.error('prerender: index.html has no <body>'); process.exit(1); }
await writeFile(htmlPath, html.replace('<body>', `<body><div id=prerender inert aria-hidden=true>${picture}</div>`));
console.log(`prerender: ${picture.length} B of first picture in index.html`);
