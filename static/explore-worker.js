// The explorer's Web Worker (issue 16, "Explore from here"). The page sends
// { js, wasm, request }: the explorer module's files (content-hashed names,
// from index.html's loader) and what to explore. It loads the module once,
// runs the search (src/web/explorer.rs) and posts { progress } about every
// 100 ms, then { report }. Cancel is the page terminating this worker.
let ready;
onmessage = async (e) => {
  const { js, wasm, request } = e.data;
  try {
    ready ??= import(js).then(async (m) => { await m.default({ module_or_path: wasm }); return m; });
    const m = await ready;
    postMessage({ report: m.explore(request, (p) => postMessage({ progress: p })) });
  } catch (err) {
    postMessage({ error: String((err && err.message) || err) });
  }
};
