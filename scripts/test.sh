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
scripts/headless.sh cargo test --workspace -- --test-threads=2
