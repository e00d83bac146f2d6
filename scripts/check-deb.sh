#!/usr/bin/env bash
# Installs the .deb scripts/package.sh built into a clean Debian 12 (bookworm) and checks that the
# installed app starts: the way a person's apt would install it, with nothing from this machine.
#
#   bash scripts/check-deb.sh [path/to/merchant-desk_<version>_amd64.deb]   (as root)
#
# 1. debootstrap makes a fresh minimal bookworm in target/deb-root (a tmpfs mounted there, so made
#    anew on every run; the downloaded .debs are kept in /var/cache/merchant-desk/check-deb
#    (CHECK_DEB_CACHE), so a rerun downloads little).
# 2. `apt-get install ./merchant-desk_….deb` inside it: apt must find every dependency itself.
# 3. What a desktop session has and a minimal system lacks is added the way a desktop has it: a
#    user, a D-Bus session bus (dbus-run-session from dbus-daemon) and an unlocked login keyring
#    (gnome-keyring, which the .deb recommends, so apt has already installed it). The display is an Xvfb on this machine whose socket is bind-mounted in.
# 4. /usr/bin/merchant-desk starts as that user, with a fresh HOME and no Stripe key (demo mode),
#    and must show the first-run set-up screen within CHECK_DEB_TIMEOUT seconds (60):
#    - the window is painted: a screenshot (target/deb-check/setup.png) has more than 2 colours
#      inside the app's window;
#    - the app says which screen it painted: MERCHANT_DESK_READY_FILE=<file> makes it write the
#      first screen's name (`setup`, `lock`) there, once it is on screen. Required by default;
#      CHECK_DEB_REQUIRE_READY_FILE=0 skips it, with a message, when a painted window wrote
#      nothing within CHECK_DEB_READY_GRACE seconds (10): for .debs built before it existed.
# Ends with one line: "check-deb: PASS …" or "check-deb: FAIL …". Every mount is undone on exit,
# whatever happened; the app's output is in target/deb-check/app.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

# The app writes MERCHANT_DESK_READY_FILE (src-tauri/src/painted.rs); 0 only for older .debs.
require_ready_file=${CHECK_DEB_REQUIRE_READY_FILE:-1}
timeout=${CHECK_DEB_TIMEOUT:-60}
ready_grace=${CHECK_DEB_READY_GRACE:-10}
mirror=${CHECK_DEB_MIRROR:-http://deb.debian.org/debian}
security_mirror=${CHECK_DEB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

root=$repo/target/deb-root
# The root lives in memory (a tmpfs, ~1.6 GB while the check runs): unpacking is quicker and removing
# it is an unmount. CHECK_DEB_TMPFS=0 builds it on disk instead and leaves it there after the run,
# for a look inside (the next run removes it).
in_memory=${CHECK_DEB_TMPFS:-1}
# Downloaded .debs, kept between runs (and between clones of the repository on this machine).
cache=${CHECK_DEB_CACHE:-/var/cache/merchant-desk/check-deb}
out=$repo/target/deb-check
user=desk
uid=1000

fail() { echo "check-deb: FAIL: $*"; exit 1; }
say() { echo "check-deb: $*" >&2; }

[[ $(id -u) == 0 ]] || fail "run as root (debootstrap, chroot and mounts need it)"

deb=${1:-}
if [[ -z "$deb" ]]; then
  deb=$(ls -t target/release/bundle/deb/merchant-desk_*.deb 2>/dev/null | head -n 1 || true)
  [[ -n "$deb" ]] || fail "no target/release/bundle/deb/merchant-desk_*.deb: run scripts/package.sh first"
fi
[[ -f "$deb" ]] || fail "$deb does not exist"
deb=$(realpath "$deb")

host_tools=(debootstrap:debootstrap Xvfb:xvfb import:imagemagick xdotool:xdotool)
missing=()
for tool in "${host_tools[@]}"; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Clean-up: runs on every exit. Ends what this run started inside the root (by process ID,
# found through /proc/PID/root), then unmounts everything under the root, deepest first.
xvfb_pid=
job_pid=
# Runs a long step (debootstrap, apt-get) as a job of its own process group and waits for it, so an
# interrupt is handled at once (bash runs a trap only after a foreground command ends) and ends the
# whole step, by that group's ID.
run() {
  setsid "$@" </dev/null &
  job_pid=$!
  local status=0
  wait "$job_pid" || status=$?
  job_pid=
  return "$status"
}
end_job() {
  [[ -n "$job_pid" ]] || return 0
  kill -TERM -- "-$job_pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 -- "-$job_pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL -- "-$job_pid" 2>/dev/null || true
}
mounts_under_root() {
  # Mount points (field 5 of mountinfo, octal escapes decoded) at or under $root, deepest first.
  awk '{ print $5 }' /proc/self/mountinfo | while read -r m; do printf '%b\n' "$m"; done |
    awk -v r="$root" '$0 == r || index($0, r "/") == 1' | sort -r
}
processes_in_root() {
  local link pid
  for link in /proc/[0-9]*/root; do
    pid=${link#/proc/}; pid=${pid%/root}
    [[ "$(readlink "$link" 2>/dev/null)" == "$root" ]] && echo "$pid"
  done
  return 0
}
end_processes_in_root() {
  local pids
  pids=$(processes_in_root)
  [[ -n "$pids" ]] || return 0
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 20); do
    pids=$(processes_in_root)
    [[ -n "$pids" ]] || return 0
    sleep 0.25
  done
  kill -KILL $pids 2>/dev/null || true
  sleep 0.5
}
unmount_root() {
  local m
  end_processes_in_root
  for m in $(mounts_under_root); do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
  [[ -z "$(mounts_under_root)" ]]
}
cleanup() {
  local status=$?
  set +e
  end_job
  unmount_root || echo "check-deb: could not unmount: $(mounts_under_root | tr '\n' ' ')" >&2
  if [[ -n "$xvfb_pid" ]]; then
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
  fi
  exit "$status"
}
trap cleanup EXIT
# The script's own output, for a trap that runs while a step's output goes to its log.
exec 3>&1
trap 'echo "check-deb: FAIL: interrupted" >&3; exit 130' INT
trap 'echo "check-deb: FAIL: terminated" >&3; exit 143' TERM

# --- 1. A fresh bookworm. Never remove the old root while anything is still mounted in it.
unmount_root || fail "$root still has mounts: $(mounts_under_root | tr '\n' ' ')"
rm -rf --one-file-system "$root"
rm -rf "$out"
mkdir -p "$cache/debootstrap" "$cache/apt/partial" "$out" "$root"
if [[ "$in_memory" == 1 ]]; then
  mount -t tmpfs -o size=8g,mode=755 check-deb-root "$root"
fi
started=$SECONDS
say "debootstrap bookworm into $root"
run debootstrap --variant=minbase --cache-dir="$cache/debootstrap" bookworm "$root" "$mirror" \
  >"$out/debootstrap.log" 2>&1 || { tail -n 20 "$out/debootstrap.log" >&2; fail "debootstrap failed (log: $out/debootstrap.log)"; }
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
EOF
# A throw-away root: dpkg need not fsync every file it unpacks (on disk, about a third of the time).
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/check-deb-unsafe-io"
say "debootstrap took $((SECONDS - started)) s"

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
# Bind mounts are made private at once, so nothing mounted under them reaches this machine's own.
bind() { mount --bind "$1" "$2" && mount --make-private "$2"; }
bind /dev "$root/dev"
bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
bind "$cache/apt" "$root/var/cache/apt/archives"

in_root=(chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8)

# --- 2. Install the package as a person would; apt resolves its Depends and Recommends.
cp "$deb" "$root/tmp/"
deb_name=$(basename "$deb")
started=$SECONDS
say "apt-get install ./$deb_name"
{
  run "${in_root[@]}" apt-get update &&
    run "${in_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "./tmp/$deb_name"
} >"$out/apt.log" 2>&1 || { tail -n 30 "$out/apt.log" >&2; fail "apt-get install ./$deb_name failed (log: $out/apt.log)"; }
say "installed in $((SECONDS - started)) s: $(grep -c '^Setting up' "$out/apt.log") packages set up"
[[ -x "$root/usr/bin/merchant-desk" ]] || fail "the package did not install /usr/bin/merchant-desk"
# The desktop entry a menu shows, and its icon.
desktop_file=$(grep -l '^Exec=merchant-desk' "$root"/usr/share/applications/*.desktop 2>/dev/null | head -n 1 || true)
[[ -n "$desktop_file" ]] || fail "no desktop entry in /usr/share/applications runs merchant-desk"
grep -q '^Categories=.*Finance' "$desktop_file" || fail "the desktop entry has no Finance category: $(grep '^Categories=' "$desktop_file")"
icon=$(sed -n 's/^Icon=//p' "$desktop_file")
ls "$root"/usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null 2>&1 || fail "the desktop entry's icon '$icon' is not in /usr/share/icons/hicolor"

# --- 3. What a desktop session adds: a user, a session bus launcher, a keyring daemon.
{
  run "${in_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dbus-daemon gnome-keyring &&
    run "${in_root[@]}" useradd --create-home --uid "$uid" --shell /bin/bash "$user"
} >"$out/desktop.log" 2>&1 || { tail -n 30 "$out/desktop.log" >&2; fail "could not add the desktop session's packages (log: $out/desktop.log)"; }
install -d -m 700 -o "$uid" -g "$uid" "$root/run/user/$uid"

# The display: an Xvfb here, its socket bind-mounted into the root.
display=
for n in $(seq 90 140); do
  if [[ ! -e /tmp/.X11-unix/X$n && ! -e /tmp/.X$n-lock ]]; then display=$n; break; fi
done
[[ -n "$display" ]] || fail "no free X display number"
# -noreset: by default the server resets whenever its last client leaves, which the screenshots do
# all the time; an app connecting during a reset can fail ("Failed to initialize GTK", seen once in
# about ten runs without this flag).
Xvfb ":$display" -screen 0 1440x900x24 -nolisten tcp -noreset >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
# Ready when it answers a client (the socket appears before the server takes connections).
for _ in $(seq 1 100); do
  kill -0 "$xvfb_pid" 2>/dev/null || break
  DISPLAY=":$display" xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.1
done
DISPLAY=":$display" xdotool getdisplaygeometry >/dev/null 2>&1 || fail "Xvfb :$display did not start: $(tail -n 3 "$out/xvfb.log")"
mkdir -p "$root/tmp/.X11-unix"
bind /tmp/.X11-unix "$root/tmp/.X11-unix"

# --- 4. Start the installed app as the desktop user, in demo mode, on a fresh HOME.
ready_file=/tmp/merchant-desk-ready
rm -f "$root$ready_file"
say "starting /usr/bin/merchant-desk as $user on display :$display"
chroot --userspec="$uid:$uid" "$root" /usr/bin/env -i \
  PATH=/usr/bin:/bin HOME="/home/$user" USER="$user" LOGNAME="$user" LANG=C.UTF-8 \
  XDG_RUNTIME_DIR="/run/user/$uid" DISPLAY=":$display" NO_AT_BRIDGE=1 \
  MERCHANT_DESK_READY_FILE="$ready_file" \
  dbus-run-session -- sh -c '
    # A desktop login unlocks the login keyring; here a password nobody types does it.
    printf %s check-deb | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec /usr/bin/merchant-desk
  ' >"$out/app.log" 2>&1 &
app_pid=$!

shot=$out/setup.png
window_colours() {
  # Takes a screenshot of the whole display and prints how many colours are inside the app's
  # window; 0 while there is no window.
  DISPLAY=":$display" import -window root "$shot.tmp.png" 2>/dev/null && mv "$shot.tmp.png" "$shot" || { echo 0; return; }
  local wid geometry X Y WIDTH HEIGHT WINDOW SCREEN
  wid=$(DISPLAY=":$display" xdotool search --onlyvisible --name '^Merchant Desk$' 2>/dev/null | head -n 1) || true
  [[ -n "$wid" ]] || { echo 0; return; }
  geometry=$(DISPLAY=":$display" xdotool getwindowgeometry --shell "$wid" 2>/dev/null) || { echo 0; return; }
  eval "$geometry"
  convert "$shot" -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage -format %k info: 2>/dev/null || echo 0
}

started=$SECONDS
painted=
painted_at=
colours=0
ready=
while :; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    tail -n 20 "$out/app.log" >&2
    kill -0 "$xvfb_pid" 2>/dev/null || say "Xvfb :$display has stopped too: $(tail -n 3 "$out/xvfb.log")"
    fail "the app exited before showing the set-up screen (log: $out/app.log)"
  fi
  if [[ -z "$painted" ]]; then
    colours=$(window_colours)
    if ((colours > 2)); then painted=1; painted_at=$SECONDS; fi
  fi
  if [[ -s "$root$ready_file" ]]; then
    ready=$(head -n 1 "$root$ready_file" | tr -d '[:space:]')
  fi
  if [[ -n "$painted" && -n "$ready" ]]; then break; fi
  if [[ -n "$painted" && "$require_ready_file" != 1 ]] && ((SECONDS - painted_at >= ready_grace)); then break; fi
  if ((SECONDS - started >= timeout)); then break; fi
  sleep 1
done
elapsed=$((SECONDS - started))
# One last screenshot of what the window shows now, for a person to look at.
window_colours >/dev/null || true
say "screenshot: $shot"

[[ -n "$painted" ]] || fail "no painted Merchant Desk window within ${timeout}s (screenshot: $shot, log: $out/app.log)"
# With a session bus and an unlocked Secret Service, as on a desktop, the app must reach the keyring.
if grep -q 'keyring unavailable' "$out/app.log"; then
  fail "the app could not reach the OS keyring: $(grep -m 1 'keyring unavailable' "$out/app.log")"
fi
if [[ -n "$ready" ]]; then
  [[ "$ready" == setup ]] || fail "the first screen painted was '$ready', not the set-up screen (screenshot: $shot)"
  ready_says="ready file says 'setup'"
elif [[ "$require_ready_file" == 1 ]]; then
  fail "the window is painted but $ready_file never said which screen within ${timeout}s (MERCHANT_DESK_READY_FILE required)"
else
  say "SKIP ready-file check: the app wrote nothing to MERCHANT_DESK_READY_FILE within ${ready_grace}s of painting (this build predates it; CHECK_DEB_REQUIRE_READY_FILE=1 makes it required)"
  ready_says="ready file skipped"
fi
echo "check-deb: PASS: $deb_name installed on a clean bookworm; /usr/bin/merchant-desk painted its window in ${elapsed}s ($colours colours), reached the keyring, $ready_says; screenshot $shot"
