// Shorter names for the imports between each wasm module and its JS glue
// (a page-weight measure, listed in src/lean/mod.rs). wasm-bindgen names
// every import `__wbg_<name>_<16 hex digits>`; the hex digits, random to
// gzip, appear twice (the wasm's import section and the glue's import
// object), ~150 times per module. This drops them (`__wbg_<name>`, with a
// number when two imports share a name), rewriting both files together, so
// the pair stays consistent; nothing else changes.
import { readFileSync, writeFileSync } from 'node:fs';

function leb(b, i) {
  let r = 0, s = 0, x;
  do { x = b[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return [r, i];
}

function encLeb(n) {
  const out = [];
  do { let x = n % 128; n = Math.floor(n / 128); if (n) x |= 0x80; out.push(x); } while (n);
  return out;
}

const utf8 = new TextEncoder(), text = new TextDecoder();
const encStr = s => { const b = utf8.encode(s); return [...encLeb(b.length), ...b]; };

/** Byte length of an import's descriptor (kind byte included) at `i`. */
function descEnd(b, i) {
  const kind = b[i++];
  if (kind === 0) return leb(b, i)[1];                  // function: type index
  if (kind === 1) i++;                                  // table: reference type, then limits
  if (kind === 0 || kind === 1 || kind === 2) {
    const flags = b[i++];
    i = leb(b, i)[1];
    return flags & 1 ? leb(b, i)[1] : i;
  }
  if (kind === 3) return i + 2;                         // global: value type, mutability
  if (kind === 4) return leb(b, i + 1)[1];             // tag: attribute, type index
  throw new Error(`short-imports: unknown import kind ${kind}`);
}

/** Renames the hashed imports in (`js`, `wasm`); returns the new pair. */
export function shorten(js, wasm) {
  const b = wasm;
  const out = [b.subarray(0, 8)];
  const renames = new Map();
  let i = 8;
  while (i < b.length) {
    const id = b[i];
    const [len, start] = leb(b, i + 1);
    const end = start + len;
    if (id !== 2) {
      out.push(b.subarray(i, end));
      i = end;
      continue;
    }
    let [n, j] = leb(b, start);
    const body = encLeb(n);
    for (; n > 0; n--) {
      const [ml, ms] = leb(b, j);
      const mod = b.subarray(ms, ms + ml);
      const [fl, fs] = leb(b, ms + ml);
      let field = text.decode(b.subarray(fs, fs + fl));
      const de = descEnd(b, fs + fl);
      const m = field.match(/^(__wbg_|__wbindgen_)(.*)_[0-9a-f]{16}$/);
      if (m) {
        let name = m[1] + m[2], k = 2;
        const taken = c => [...renames.values()].includes(c) || new RegExp(`\\b${c}\\b`).test(js);
        while (taken(name)) name = `${m[1]}${m[2]}${k++}`;
        renames.set(field, name);
        field = name;
      }
      body.push(...encLeb(ml), ...mod, ...encStr(field), ...b.subarray(fs + fl, de));
      j = de;
    }
    out.push(Uint8Array.from([2, ...encLeb(body.length), ...body]));
    i = end;
  }
  for (const [from, to] of renames) {
    if (!js.includes(from)) throw new Error(`short-imports: the glue does not name ${from}`);
    js = js.split(from).join(to);
  }
  return { js, wasm: Buffer.concat(out), count: renames.size };
}

/** Rewrites one module's files in place. */
export function shortenFiles(jsPath, wasmPath) {
  const r = shorten(readFileSync(jsPath, 'utf8'), new Uint8Array(readFileSync(wasmPath)));
  writeFileSync(jsPath, r.js);
  writeFileSync(wasmPath, r.wasm);
  return r.count;
}
