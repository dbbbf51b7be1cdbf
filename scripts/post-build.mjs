// Trunk's post-build hook (Trunk.toml). Trunk starts a stage's hooks all at
// once, and these three rewrite index.html in turn, so one hook runs them
// in order: module names final, then the style sheets inlined, then the
// first picture taken of the finished page.
await import('./hash-modules.mjs');
await import('./inline-css.mjs');
await import('./prerender.mjs');
