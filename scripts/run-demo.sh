#!/usr/bin/env bash
# Installs what is needed, builds Merchant Desk and opens it. With no Stripe key in the keyring it
# starts in demo mode on a built-in Stripe emulator with a sample restaurant group.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/setup.sh
cargo run -p merchant-desk --release
