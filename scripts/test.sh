#!/usr/bin/env bash
# Runs every test: UI unit tests, then every Rust test (core, emulator, shell, end-to-end through
# the real window) under a private X display, D-Bus session and unlocked keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh --tests

echo "== UI unit tests" >&2
npm run --prefix ui test --silent

echo "== The core builds without a GUI toolkit" >&2
if cargo tree -p md-core -e normal,build --prefix none | grep -Ei '^(webkit|gtk|gdk|tauri|wry|tao)'; then
  echo "md-core depends on a GUI crate (above); it must build without WebKit" >&2
  exit 1
fi

echo "== Build the app for the end-to-end tests" >&2
cargo build -p merchant-desk

echo "== Rust tests (unit, integration against the emulator, end-to-end)" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
scripts/headless.sh cargo test --workspace -- --test-threads=2 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run: the sum of every test binary's result.
awk '/^test result:/ { for (i = 2; i <= NF; i++) { if ($i ~ /^passed;/) p += $(i-1); if ($i ~ /^failed;/) f += $(i-1) } }
     END { printf "rust: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
