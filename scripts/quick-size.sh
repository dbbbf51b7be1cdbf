#!/usr/bin/env bash
# Quick gzip size of one page module (wasm + JS glue) without trunk, for
# comparing a change before and after; a full view page adds index.html and
# the shell CSS (node tests/e2e/size-budget.mjs on dist/ is the real figure).
# usage: scripts/quick-size.sh ringraft-raft | scripts/quick-size.sh ringraft-extended --features extended
set -e
BIN=$1; shift
ROOT=$(pwd)
T=${CARGO_TARGET_DIR:-$ROOT/target}
source "$ROOT/scripts/setup.sh" >/dev/null 2>&1; set +e
cargo build -q --release --target wasm32-unknown-unknown --no-default-features "$@" --bin "$BIN" || exit 1
O=$(mktemp -d)
wasm-bindgen --target web --out-dir "$O" "$T/wasm32-unknown-unknown/release/$BIN.wasm"
W="$ROOT/node_modules/.bin/wasm-opt"
F="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"
$W $F -Oz --converge --low-memory-unused --flatten --rereloop -Oz --converge -Oz --converge --strip-producers --strip-target-features --strip-debug "$O/${BIN}_bg.wasm" -o "$O/opt.wasm"
w=$(gzip -9c "$O/opt.wasm" | wc -c); j=$(gzip -9c "$O/$BIN.js" | wc -c)
echo "$BIN wasm_gz=$w js_gz=$j total=$((w+j))"
rm -rf "$O"
