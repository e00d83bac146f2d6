#!/usr/bin/env bash
# Installs what Merchant Desk needs on a Debian 12 machine (as root) and builds the UI.
#   scripts/setup.sh          build dependencies (WebKitGTK, compilers, UI packages)
#   scripts/setup.sh --tests  also what the tests need (Xvfb, WebKitWebDriver, gnome-keyring, xdotool, tauri-driver,
#                             debootstrap for the .deb's install check)
# Safe to run again: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev pkg-config)
test_packages=(xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools imagemagick xdotool
  debootstrap)

wanted=("${build_packages[@]}")
[[ "${1:-}" == "--tests" ]] && wanted+=("${test_packages[@]}")

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust is missing: install it with rustup (https://rustup.rs)" >&2; exit 1; }
command -v node >/dev/null || { echo "setup: Node.js 20.19 or newer is missing" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "setup: Node.js $(node --version) is too old; Vite needs 20.19 or newer" >&2; exit 1; }

if [[ "${1:-}" == "--tests" ]] && ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver" >&2
  cargo install tauri-driver --locked --version 2.1.0 >/dev/null
fi

echo "setup: UI packages and build" >&2
npm ci --prefix ui --no-audit --no-fund --loglevel=error
# Built into a fresh folder, then only the files that differ are copied into ui/dist: an unchanged UI
# keeps its files' times, so cargo does not rebuild the app (which embeds ui/dist) for nothing.
fresh=$(mktemp -d -t merchant-desk-ui.XXXXXX)
trap 'rm -rf "$fresh"' EXIT
npm run --prefix ui build --silent -- --outDir "$fresh" --emptyOutDir
mkdir -p ui/dist
(cd "$fresh" && find . -type f) | while read -r file; do
  if ! cmp -s "$fresh/$file" "ui/dist/$file"; then
    mkdir -p "$(dirname "ui/dist/$file")"
    cp "$fresh/$file" "ui/dist/$file"
  fi
done
(cd ui/dist && find . -type f) | while read -r file; do
  [[ -e "$fresh/$file" ]] || rm -f "ui/dist/$file"
done
find ui/dist -mindepth 1 -type d -empty -delete
