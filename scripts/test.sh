#!/usr/bin/env bash
# Every test: native (cores, simulator, CLI), wasm in headless Chromium,
# the page-weight budget, and browser end-to-end tests on the built dist/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native tests (cargo test)"
cargo test --locked

step "wasm tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown --test wasm

step "release build (trunk, wasm-opt)"
trunk build --release

step "page weight budget"
node tests/e2e/size-budget.mjs

step "browser end-to-end tests (Playwright + Debian Chromium)"
node --test --test-concurrency=1 tests/e2e/
