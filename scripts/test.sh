#!/usr/bin/env bash
# Runs every test: UI unit tests, then every Rust test (core, emulator, shell, end-to-end through
# the real window) under a private X display, D-Bus session and unlocked keyring, then builds the
# release .deb and installs and starts it on a clean Debian 12 (scripts/package.sh, check-deb.sh).
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

if ((status == 0)); then
  echo "== Debian package: release build (scripts/package.sh), installed and started on a clean Debian 12 (scripts/check-deb.sh)" >&2
  if deb=$(PACKAGE_SKIP_SETUP=1 scripts/package.sh); then
    scripts/check-deb.sh "$deb" || status=$?
  else
    status=1
    echo "check-deb: FAIL: scripts/package.sh could not build the .deb" >&2
  fi
else
  echo "== Debian package: skipped, the Rust tests failed" >&2
fi

# One closing line for the whole run: the sum of every test binary's result.
awk '/^test result:/ { for (i = 2; i <= NF; i++) { if ($i ~ /^passed;/) p += $(i-1); if ($i ~ /^failed;/) f += $(i-1) } }
     END { printf "rust: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
