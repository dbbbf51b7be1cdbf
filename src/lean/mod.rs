//! Smaller stand-ins for std and serde facilities that cost the wasm more
//! than the page needs (see README "Page weight"). Each one gives the same
//! results as what it replaces, and its tests check that against the
//! original natively. Figures are gzip bytes of the page's wasm, measured
//! when the substitute went in (the commit named).
//!
//! - [`order`] replaces `slice::sort_by` / `sort_by_key` / `sort`: one
//!   non-generic stable merge sort over indices instead of std's
//!   driftsort/quicksort monomorphized per element type and comparator
//!   (≈4 KB raw each, ~15 of them). Saved ≈ 61 KB raw, **≈ 20.7 KB gzip**
//!   (3c97aa4).
//! - [`num`] replaces `format!("{:.N}", x)`, `{}` for floats and
//!   `str::parse::<f64>`: fixed-point printing and decimal parsing without
//!   core's Grisu/Dragon printer and Eisel–Lemire parser (with its ≈10 KB
//!   table of powers of five). Together with drawing trigonometry from the
//!   browser's `Math` this took the last float printing out of the wasm:
//!   **≈ 5 KB gzip** (c7961f2, after b02129a moved every site to `num`).
//! - [`tagged`] replaces serde's derived `Deserialize` for internally tagged
//!   enums (`#[serde(tag = "type")]`), which buffers input into serde's
//!   private `Content` tree (≈2 KB raw per variant shape): the enums read
//!   themselves from a `serde_json::Value`, serialization stays derived.
//!   With `LogItem`'s hand-written untagged reader, saved ≈ 80 KB raw,
//!   **≈ 23 KB gzip** (2734c7c). [`deserialize_via_value!`](crate::deserialize_via_value)
//!   is the `impl Deserialize` that goes with it.
//!
//! - The trace hash (`sim::trace_hash`, cargo feature `trace-hash`, on by
//!   default) is left out of the page's modules (`index.html`:
//!   `data-cargo-no-default-features`): the page never reads it, while the
//!   native tests, the CLI and the wasm tests (`tests/wasm.rs`, which check
//!   the golden hashes in Chromium) keep it. Saves the derived `Hash` code of
//!   every typed event: **≈ 930 B gzip** (measured when the events became typed).
//!
//! - [`b64`] replaces the `base64` crate's `URL_SAFE_NO_PAD` engine for
//!   the links' base64url (its generic engine cost ≈ 6.7 KB raw for one
//!   encode and one decode); same output and errors-or-not, checked against
//!   the crate natively (a dev-dependency now). Saved ≈ 9.1 KB raw, **≈ 3.3 KB gzip**
//!   on each page (Raft 244,512 → 241,215 B gzip of wasm).
//!
//! - `sim::scenario` reads the plain settings objects (`timing`, `network`,
//!   `raft`, `client_load`) and the scalar fields directly from the JSON
//!   value after its schema walk has checked every field's name and type,
//!   instead of through serde's derived `Deserialize` (the derives stay for
//!   other callers; the page no longer links them), `until` items and log
//!   items by hand (with deeper error paths), and actions through
//!   `Action::from_value` without a serde round trip: **≈ 3.7 KB gzip** on
//!   the Raft page (249,932 → 247,232 → 246,449, two commits).
//! - Whether a panel is on screen (`ui::raft::settle::on_screen`) comes
//!   from an IntersectionObserver in the page's loader (`Trunk.toml`),
//!   which marks the sections `data-off`; the wasm reads the attribute with
//!   calls it already makes. Through web-sys (the observer, its options,
//!   its entries and a closure) it cost ≈ 1,000 B gzip of wasm and ≈ 240 B
//!   of glue; in the loader ≈ 96 B of index.html.
//! - The frame times the benchmarks read (`window.__ringraftFrameTimes`,
//!   `__ringraftFrameTags`) are kept by a function in the page's loader
//!   (`Trunk.toml`, `ringraftFrame`) that the Raft view calls through one
//!   import, instead of through `js_sys::Reflect` and `js_sys::Array`:
//!   the Raft page 249,964 → 249,798 B gzip (≈ 250 B less of wasm and glue
//!   for ≈ 84 B more of index.html, which the ring and cluster pages pay too).
//!   Since the first screen's module came (issue 17), the loader's function
//!   is a no-op and the tests and benchmarks put the recorder in before the
//!   page runs (`tests/e2e/harness.mjs`, `recordFrames`): the instrumentation
//!   is not shipped, ≈ 70 B gzip less of index.html on every page.
//! - The loader names each worker module by its JS glue only (`pair` in
//!   `Trunk.toml`): its wasm is the same name with `_bg.wasm`, as
//!   `scripts/hash-modules.mjs` names both. Naming both put four more
//!   16-digit hashes, which gzip cannot shorten, into index.html on every
//!   page: ≈ 45 B gzip (measured with the first screen's module, issue 17).
//! - `build.rs` minifies the views' style sheets (comments and layout
//!   whitespace out) before `src/ui/mod.rs` compiles them in:
//!   **≈ 290 B gzip** on the Raft page.
//!
//! - `index.html` runs wasm-opt's `--flatten --rereloop` and a second
//!   `-Oz` after the first (Binaryen's own passes, semantics-preserving):
//!   **≈ 560 B gzip** on the Raft page; frame script time unchanged in
//!   `tests/e2e/bench-raft.mjs` (median 1.6 vs 1.7 ms).
//!
//! - The extended client protocol (cargo feature `extended`, on by
//!   default; with it `history-check`) is left out of the page's lean
//!   modules and shipped in a module of its own, `ringraft-extended`, which
//!   the loader picks for `view=raft&x=1` (the lean Raft module hands a
//!   link, preset, tour step or file that needs it over there): reads
//!   outside the log and leases (`raft::node::reads`: an empty `Reads` and
//!   an `impl` that answers "none"), the session table (`raft::kv::Sessions`),
//!   client operations, timeouts and retries (`sim::clients`: a `Clients`
//!   that records nothing), clock drift (`World::clocks`), the history
//!   checker (`sim::linearizability::History`), their fields in the scenario
//!   language (`sim::scenario`: `S::Never`, refused with
//!   `scenario::NEEDS_EXTENDED`; the `set_clock_drift` action and
//!   `set_raft`'s `read_mode` and `disruption_guard` likewise), their text
//!   (`i18n::extended`), presets' scenarios (`presets::EXTENDED`), the
//!   view's extra controls and panels (`ui::raft::extended`) and their
//!   style sheet (`static/extended.css`). Every site is a `cfg` on that
//!   feature; natively, in the CLI and in the wasm tests (default features)
//!   everything runs. Together with the smaller structures the extended
//!   protocol uses everywhere (vector maps instead of B-trees, an
//!   open-addressing memo, no u128 division) this took the Raft page from
//!   **281,204 to 250,207 B gzip** once the protocol was in.
//! - Membership changes and log compaction (issue 13) are the extended
//!   module's too, compiled out of the lean ones by the same feature: the
//!   `Command::Config` entry, the `InstallSnapshot` messages,
//!   `Persistent::snapshot`, `set_raft`'s and `Config`'s
//!   `snapshot_threshold` / `learner_catch_up`, the `add_server`,
//!   `remove_server` and `change_config` actions (not even variants: their
//!   derives cost bytes), the catch-up and durability-bug state
//!   (`raft::node::membership::Changes`, empty), `raft::node::compaction`,
//!   the checker's snapshot paths and their text (`i18n::membership`). A
//!   lean node's configuration is the one it was started with. With the
//!   preset text found by keys made from the file stem
//!   (`ui::raft::preset_text`) instead of a table of keys (≈ 1.3 KB raw),
//!   this took the Raft page from 259,837 back to **249,930 B gzip**.
//! - The split of that feature (issue 15): cargo feature `membership`
//!   (membership changes and compaction only) with `extended =
//!   ["history-check", "membership"]`. Every membership and compaction
//!   `cfg` site of `raft`, `sim` and `i18n` (the list above, the
//!   `Command::Config` / `InstallSnapshot` arms of `i18n::explain`, the
//!   `i18n::membership` table) is on `membership`; reads, leases, sessions,
//!   retries, drift (`World::clocks`, also where `fresh_server` adds a
//!   clock) and the history checker stay on `extended`, as do the Raft
//!   view's own sites (`ui::raft`, where `extended` implies `membership`).
//!   The cluster view's module is built with `membership` alone
//!   (`index.html`), since its replica moves are membership changes: its
//!   page went from 214,355 to **230,847 B gzip** with the moves and their
//!   panel; it leaves the Raft view out (`ui::raft` is not compiled there).
//!   The lean Raft and ring modules no longer carry the cluster's `OpenRaft`
//!   action or `el_id` (the cluster model and view need `membership`):
//!   Raft page 249,895 → **249,733 B**, ring 187,456 → 187,272 B.
//! - `index.html` runs a third `-Oz --converge` round after the second:
//!   **≈ 580 B gzip** on the Raft page (Binaryen's own passes).
//!
//! - `scripts/short-imports.mjs` (run by the Trunk post-build hook
//!   `scripts/hash-modules.mjs`) drops the 16 hex digits wasm-bindgen puts
//!   in every import's name (`__wbg_slice_c2317…` → `__wbg_slice`), in the
//!   wasm's import section and in its JS glue together: ~150 random-looking
//!   names twice per module. **≈ 4.0 KB gzip per module** (Raft page
//!   250,920 → 246,710 B together with the two flags below and a smaller
//!   lean `set_raft` reader: glue 6,405 → 4,661,
//!   wasm 241,635 → 239,211).
//! - `index.html` runs wasm-opt with `--strip-producers
//!   --strip-target-features` last: the two custom sections only toolchains
//!   read (≈ 190 B gzip).
//!
//! - No element of the Raft view's modules sets `class` through `html!`'s
//!   `class={…}` / `{class}`, which builds a `yew::html::Classes` (an
//!   `IndexSet` of words, hashed) for every value: those elements are
//!   written with `ui::widgets::tag!`, whose one non-generic builder
//!   (`tag_`) normalizes the class value the same way (its words, each once,
//!   single spaces, none when empty). With `Classes` and its hashing gone
//!   from the modules: Raft page **249,837 → 248,288 B gzip** (quick-size,
//!   wasm + glue), extended module 312,634 → 311,003. (A literal
//!   `class="…"` is static in `html!` and costs nothing; new dynamic
//!   classes should use `tag!`, or the bytes come back.)
//!
//! - History checkpoints that share the growing parts of a world
//!   (`crate::chunked`, issue 17) cost ≈ 4 KB gzip of code. They were paid
//!   for by three B-trees turned into sorted vectors, whose `BTreeMap`
//!   instantiations (insert, remove, search, rebalancing, clone, drop per
//!   key and value type) were worth more than their few entries: the
//!   checker's leaders by term and its rare second witnesses of an index
//!   (`sim::checker`), and the world's messages in flight (`World`'s
//!   `Flights`, ids only grow). quick-size of the Raft module's wasm
//!   245,188 → 240,385 B gzip; the Raft page went from 249,140 (before the
//!   sharing) to **248,294 B**, extended 312,033 → 310,783.
//!
//! - The first picture pre-rendered into `index.html` (issue 17, goal 3:
//!   servers drawn on a phone before the module arrives,
//!   `scripts/prerender.mjs`) costs every first load its bytes, so it is
//!   kept to what is on the first screen and changes what is seen: no
//!   logs, space-time or events panels (they come with the module), no attribute no style selects on,
//!   a select's chosen option only (its width pinned), SVG coordinates
//!   without `.0`. It was paid for by: the Raft view's style becoming a
//!   style sheet of `index.html` instead of a string in the wasm (the
//!   picture needs it before any module runs; the ring and cluster pages
//!   now carry it too), `scripts/inline-css.mjs` writing both style sheets
//!   into `index.html` (one gzip stream with the markup they style, 673 B
//!   less than two files, and no request more) without Trunk's integrity
//!   attributes, and no comments in the loader script (Trunk's
//!   minifier kept some), and the serializer below. The Raft page:
//!   249,404 → **249,437 B** with the picture (≈ 2.1 KB gzip); ring
//!   188,455 → 192,485 and cluster 227,334 → 231,472 with the Raft view's
//!   style they now carry.
//!
//! - Links are written by a 25-line `application/x-www-form-urlencoded`
//!   serializer (`link::raft::Query`, checked against `form_urlencoded`'s
//!   in a test) instead of the crate's, whose 768-byte escape table and
//!   generic serializer came with it (reading links stays with the crate):
//!   **≈ 990 B gzip** on each page (quick-size of the Raft module 245,474 →
//!   244,482).
//!
//! The old paths `crate::order`, `crate::num` and `crate::tagged` stay
//! (re-exported by `lib.rs`).

pub mod b64;
pub mod num;
pub mod order;
pub mod tagged;
