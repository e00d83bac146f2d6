#!/usr/bin/env bash
# Builds the release Debian package of Merchant Desk with Tauri's bundler and prints its path.
#
#   bash scripts/package.sh     → target/release/bundle/deb/merchant-desk_<version>_amd64.deb
#   sudo apt install ./target/release/bundle/deb/merchant-desk_<version>_amd64.deb
#
# Only the .deb's path goes to standard output (deb=$(scripts/package.sh)); the rest to standard error.
# Installs what it needs first (scripts/setup.sh: the build packages, the UI's npm packages, ui/dist);
# PACKAGE_SKIP_SETUP=1 skips that when the caller has just run it (scripts/test.sh does).
# When nothing changed it is quick: the release build is then a no-op and only the bundle is redone.
#
# Steps: `tauri build --no-bundle` (the release binary with the UI embedded), then `tauri bundle
# --bundles deb` with the package's Depends completed from the libraries the binary links
# (dpkg-shlibdeps: libssl3, libdbus-1-3, … beside the WebKitGTK and GTK the bundler always adds),
# then the file renamed the Debian way, <Package>_<Version>_<Architecture>.deb.
#
# Our layout differs from the one the Tauri CLI expects: tauri.conf.json is at the repository root
# (a virtual workspace), the app crate is src-tauri/. The CLI takes the folder holding tauri.conf.json
# as the crate, so while it runs src-tauri/ gets a link to the top-level config (removed afterwards;
# also in .gitignore), and the paths inside the config, which the CLI would resolve from src-tauri/,
# are passed as absolute paths through --config. build.rs and generate_context! keep reading the
# same top-level file.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [[ "${PACKAGE_SKIP_SETUP:-}" != 1 ]]; then
  scripts/setup.sh >&2
fi

tauri=$root/ui/node_modules/.bin/tauri
[[ -x "$tauri" ]] || { echo "package: $tauri is missing: run scripts/setup.sh (npm ci --prefix ui)" >&2; exit 1; }
[[ -f ui/dist/index.html ]] || { echo "package: ui/dist is missing: run npm run --prefix ui build" >&2; exit 1; }
command -v dpkg-shlibdeps >/dev/null || { echo "package: dpkg-shlibdeps is missing: run scripts/setup.sh (build-essential)" >&2; exit 1; }

# The link the CLI needs, removed on exit whatever happens (only if this run made it).
link=src-tauri/tauri.conf.json
made_link=
work=$(mktemp -d -t merchant-desk-package.XXXXXX)
cleanup() {
  if [[ -n "$made_link" ]]; then rm -f "$link"; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [[ ! -e "$link" ]]; then
  ln -s ../tauri.conf.json "$link"
  made_link=1
fi

# The same text on every run: the build sees it (TAURI_CONFIG), and a change would rebuild the app.
paths=$(python3 - "$root" <<'EOF'
import json, os, sys
root = sys.argv[1]
config = json.load(open(os.path.join(root, "tauri.conf.json")))
absolute = lambda p: p if os.path.isabs(p) else os.path.join(root, p)
print(json.dumps({
    "build": {"frontendDist": absolute(config["build"]["frontendDist"])},
    "bundle": {"icon": [absolute(p) for p in config["bundle"]["icon"]]},
}))
EOF
)
cli() { TAURI_APP_PATH="$root/src-tauri" TAURI_FRONTEND_PATH="$root/ui" CI=true "$tauri" "$@" >&2; }

echo "package: release build (tauri build --no-bundle)" >&2
cli build --no-bundle --config "$paths"
binary=target/release/merchant-desk
[[ -x "$binary" ]] || { echo "package: $binary was not built" >&2; exit 1; }

# Depends: what the binary links, as dpkg-shlibdeps finds it on this Debian 12, less the packages
# the bundler adds itself, plus any depends written in tauri.conf.json.
mkdir -p "$work/debian"
printf 'Source: merchant-desk\n\nPackage: merchant-desk\nArchitecture: any\n' >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O "$root/$binary" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[[ -n "$shlibs" ]] || { echo "package: dpkg-shlibdeps found no libraries in $binary" >&2; exit 1; }
bundle_config=$(python3 - "$paths" "$shlibs" <<'EOF'
import json, os, sys
paths, shlibs = json.loads(sys.argv[1]), sys.argv[2]
config = json.load(open("tauri.conf.json"))
own = config.get("bundle", {}).get("linux", {}).get("deb", {}).get("depends") or []
added_by_bundler = {"libwebkit2gtk-4.1-0", "libgtk-3-0"}
name = lambda dep: dep.split()[0]
seen = added_by_bundler | {name(d) for d in own}
depends = list(own) + [d.strip() for d in shlibs.split(",") if name(d.strip()) not in seen]
paths["bundle"]["linux"] = {"deb": {"depends": depends}}
print(json.dumps(paths))
EOF
)

deb_dir=target/release/bundle/deb
rm -f "$deb_dir"/*.deb
echo "package: .deb bundle (tauri bundle --bundles deb)" >&2
cli bundle --bundles deb --config "$bundle_config"

built=$(ls "$deb_dir"/*.deb 2>/dev/null | head -n 1 || true)
[[ -n "$built" ]] || { echo "package: the bundler left no .deb in $deb_dir" >&2; exit 1; }
# The bundler names the file after productName ("Merchant Desk_…"); Debian's name has no space.
deb=$deb_dir/$(dpkg-deb -f "$built" Package)_$(dpkg-deb -f "$built" Version)_$(dpkg-deb -f "$built" Architecture).deb
[[ "$built" == "$deb" ]] || mv "$built" "$deb"
echo "$root/$deb"
