#!/usr/bin/env bash
# Runs a command the way the tests need it on a machine with no display: a private Xvfb display, a
# private D-Bus session and an unlocked gnome-keyring (the OS keyring the app stores keys in),
# with HOME and XDG folders in a temporary directory so nothing leaks into the real ones.
#
#   scripts/headless.sh <command> [args…]
set -euo pipefail

tmp=$(mktemp -d -t merchant-desk-headless.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{home,data,cache,config,run}
chmod 700 "$tmp/run"

# cargo and rustup find their toolchain through these; keep them when HOME moves.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" \
       XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/run" NO_AT_BRIDGE=1

exec xvfb-run -a -s "-screen 0 ${HEADLESS_SCREEN:-1440x900x24}" dbus-run-session -- bash -c '
  echo -n "merchant-desk-tests" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' headless "$@"
