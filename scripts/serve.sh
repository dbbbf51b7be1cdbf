#!/usr/bin/env bash
# Serve the app on http://127.0.0.1:${PORT:-8080}/ (installs what is missing first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
