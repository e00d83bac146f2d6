#!/usr/bin/env bash
# Runs the end-to-end suite (the real window through tauri-driver) N times in a row while other
# work keeps the machine busy, and reports every run. A test that waits for the state it needs
# passes every time; one that races the app fails here long before it fails in CI.
#
#   bash scripts/test-stress.sh [RUNS]      default 10 runs
#
#   STRESS_LOAD=cpu     (default) stress-ng keeps STRESS_WORKERS cores busy (default 1: the other core)
#   STRESS_LOAD=build   a parallel `cargo check` of the workspace in a scratch target, over and over
#   STRESS_LOAD=none    no load
#   STRESS_TESTS="…"    extra arguments for the test binaries (a name filter, say)
#
# Not part of `.ci/run`: run it before an end-to-end change lands. Screenshots of failures land in
# target/stress/e2e-screenshots/failed-<test>.png, each run's output in target/stress/run-<i>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

runs=${1:-10}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/test-stress.sh [RUNS]" >&2; exit 2; }
load=${STRESS_LOAD:-cpu}
workers=${STRESS_WORKERS:-1}

scripts/setup.sh --tests
if [[ "$load" == cpu ]] && ! command -v stress-ng >/dev/null; then
  echo "stress: installing stress-ng" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null; }
fi

echo "== Build the app and the end-to-end tests" >&2
cargo build -p merchant-desk
# Copies of the binaries, so that a build during the runs (the "build" load, or your own work)
# cannot change what is being tested.
bin=target/stress/bin
rm -rf "$bin" && mkdir -p "$bin"
cp target/debug/merchant-desk "$bin/"
tests=()
while read -r exe; do
  cp "$exe" "$bin/" && tests+=("$PWD/$bin/$(basename "$exe")")
done < <(cargo test -p md-e2e --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"profile":{[^}]*"test":true[^}]*}.*"executable":"\([^"]*\)".*/\1/p')
((${#tests[@]})) || { echo "stress: found no end-to-end test binaries" >&2; exit 1; }
export MERCHANT_DESK_APP="$PWD/$bin/merchant-desk" STRESS_TESTS="${STRESS_TESTS:-}"

logs=target/stress
load_pid=""
stop_load() { [[ -n "$load_pid" ]] && kill -- "-$load_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap stop_load EXIT
case "$load" in
  cpu) setsid stress-ng --cpu "$workers" --cpu-method matrixprod --quiet >/dev/null 2>&1 & load_pid=$! ;;
  build) setsid bash -c 'while :; do rm -rf target/stress-check; CARGO_TARGET_DIR=target/stress-check cargo check --workspace -q -j 2 >/dev/null 2>&1; done' & load_pid=$! ;;
  none) ;;
  *) echo "stress: STRESS_LOAD is cpu, build or none, not $load" >&2; exit 2 ;;
esac
echo "== $runs runs of the end-to-end suite, load: $load" >&2

passed=0 failed=0
for ((i = 1; i <= runs; i++)); do
  log="$logs/run-$i.log"
  start=$(date +%s)
  if (cd tests && ../scripts/headless.sh bash -c 'rc=0; for t in "$@"; do "$t" --test-threads=2 ${STRESS_TESTS:-} || rc=1; done; exit $rc' \
        stress "${tests[@]}") >"$log" 2>&1; then
    passed=$((passed + 1)) verdict=passed
  else
    failed=$((failed + 1)) verdict=FAILED
  fi
  summary=$(awk '/^test result:/ { for (i = 2; i <= NF; i++) { if ($i ~ /^passed;/) p += $(i-1); if ($i ~ /^failed;/) f += $(i-1) } }
               END { printf "%d tests passed, %d failed", p, f }' "$log")
  printf 'run %2d/%d: %s in %ds (%s)\n' "$i" "$runs" "$verdict" "$(($(date +%s) - start))" "$summary"
  grep -E '^test .* FAILED$|panicked at' "$log" | sed 's/^/        /' || true
done
echo "stress: $passed passed, $failed failed"
((failed == 0))
