#!/usr/bin/env bash
# Installs everything ringraft needs, skipping what is already present.
# Sourced by scripts/serve.sh and scripts/test.sh; safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"

# 1. Rust's wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. Debian's Chromium + ChromeDriver (browser tests; Trunk itself does not need them).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 3. Trunk 0.22.1 (declares rustc 1.96.1 but builds fine on 1.95). ~13 minutes once.
TRUNK_VERSION=0.22.1
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (one time, ~13 min on 2 cores)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
fi

# 4. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")"
if [ -z "$WB_VERSION" ]; then echo "setup: cannot read wasm-bindgen's version from Cargo.lock" >&2; exit 1; fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WB_VERSION (one time, ~4 min)"
  # No --locked: its shipped lockfile pins a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 5. npm tools from the lockfile: wasm-opt (binaryen) and playwright-core.
STAMP="$ROOT/node_modules/.ringraft-lock"
LOCK_SUM="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
  say "installing npm packages from package-lock.json"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$LOCK_SUM" > "$STAMP"
fi
