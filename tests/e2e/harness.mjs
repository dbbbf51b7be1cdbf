// Shared end-to-end harness: serve dist/ under a sub-path on loopback, drive
// Debian's Chromium through playwright-core, and fail on any console error.
import { createServer } from 'node:http';
import { readFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = process.env.RINGRAFT_DIST || join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');
/** The app is served from a sub-path to prove relative URLs work. */
export const BASE_PATH = '/docs/ringraft/';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff': 'font/woff' };

/**
 * For the benchmarks beside RaftScope: serves `dir` at its root, every file
 * gzip'd (-9) as a docs host does. Returns the server and its index.html URL.
 */
export async function serveGzip(dir) {
  const server = createServer(async (req, res) => {
    const file = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    try {
      if (!file.startsWith(dir)) throw new Error('outside');
      const body = gzipSync(await readFile(file), { level: 9 });
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'content-encoding': 'gzip' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return [server, `http://127.0.0.1:${server.address().port}/index.html`];
}

export async function serveDist() {
  const server = createServer({ maxHeaderSize: 256 * 1024 }, async (req, res) => { // room for oversize-link tests
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(BASE_PATH)) { res.writeHead(404); res.end('not under base path'); return; }
    let rel = decodeURIComponent(url.pathname.slice(BASE_PATH.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(DIST, rel));
    if (!file.startsWith(DIST)) { res.writeHead(403); res.end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end('not found'); }
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: origin + BASE_PATH, close: () => new Promise(r => server.close(r)) };
}

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Waits until the page shows its view from the right wasm module. Each view
 * lives in its own module: switching views (a tab, a tour step, a link's
 * tour position) loads the page again, and until then the old module shows
 * "Loading…" in the pane.
 */
export async function settled(p) {
  await p.waitForFunction(() => {
    const shell = document.querySelector('.shell[data-module]');
    const pane = document.querySelector('main.pane');
    return shell && pane && pane.id === `pane-${shell.dataset.module}`;
  }, null, { timeout: 20000 });
}

/** The words (3+ Latin letters) a person sees or hears in the page: its
 * visible text and its aria-label, title and placeholder attributes. */
export function visibleWords(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script,style,svg text.mono,option[value=en],[data-i18n-skip]')) continue;
      if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
      out.push(...(n.textContent.match(/[A-Za-z][A-Za-z-]{2,}/g) || []));
    }
    for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push(...(v.match(/[A-Za-z][A-Za-z-]{2,}/g) || []));
      }
    }
    return out;
  });
}

/** Keeps each frame the Raft view renders: its script time in
 * `window.__ringraftFrameTimes` and the panel group it also redrew (-1 none)
 * in `__ringraftFrameTags` (src/ui/raft/mod.rs calls `ringraftFrame`; the
 * page's loader defines it as a no-op, so the page carries no recorder).
 * Added to every page the harness opens, before its scripts run. */
export function recordFrames() {
  globalThis.ringraftFrame = (ms, tag) => [['__ringraftFrameTimes', ms], ['__ringraftFrameTags', tag]].forEach(([k, v]) => {
    const a = globalThis[k] ??= [];
    if (a.length > 2e4) a.length = 0;
    a.push(v);
  });
}

/** Start server + browser; returns helpers and a list of errors seen. */
export async function start({ viewport = { width: 1280, height: 800 } } = {}) {
  const server = await serveDist();
  const profile = await mkdtemp(join(tmpdir(), 'ringraft-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS, viewport,
  });
  await context.addInitScript(recordFrames);
  const errors = [];
  const watch = (page) => {
    page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
    page.on('console', m => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
    return page;
  };
  const page = watch(context.pages()[0] || await context.newPage());
  await mkdir(SHOTS, { recursive: true });
  return {
    server, context, page, errors, watch,
    async open(query = '', p = page) {
      await p.goto(server.url + query);
      await settled(p);
      return p;
    },
    settled,
    visibleWords,
    /** Switch views with the tab, as a person does (another view's module loads). */
    async view(v, p = page) {
      await p.click(`#tab-${v}`);
      await settled(p);
      return p;
    },
    async shot(name, p = page) { await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }); },
    async stop() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
