#!/usr/bin/env bash
# `npm run mutate`: StrykerJS over the code that decides verdicts and outputs (stryker.config.json),
# in incremental mode against mutation/incremental.json, then the score per folder against its
# minimum (scripts/mutation-score.js). Extra arguments go to `stryker run`, e.g.
#   npm run mutate -- --mutate core/semantics/semantics.ts   (one file; the other results are kept)
#   npm run mutate -- --force                                (ignore the incremental results)
# `--ci` (what .ci/run uses) re-tests what changed since mutation/incremental.json (mutants in
# changed code, and mutants whose tests changed) in the files that file holds — when nothing it
# measured has changed; otherwise it names the changed files and measures nothing (see above).
# The HTML and JSON reports go to reports/mutation/ (not tracked).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests run from a sandbox copy of the checkout, so ../shared is passed by absolute path.
APIGUARD_SHARED="${APIGUARD_SHARED:-$(cd .. && pwd)/shared}"
export APIGUARD_SHARED

if [ "${1:-}" = "--ci" ]; then
  # A baseline older than the code re-tests thousands of mutants (hours on 2 cores), more than CI has:
  # CI then says so and measures nothing, until `npm run mutate` is run and its baseline committed.
  stale=$(node scripts/mutation-baseline.js stale)
  if [ -n "$stale" ]; then
    echo "mutate --ci: NOT MEASURED — mutation/incremental.json is older than these files; run \`npm run mutate\` (a long run) and commit it:" >&2
    echo "$stale" | sed 's/^/  /' >&2
    exit 0
  fi
  scope=$(node scripts/mutation-baseline.js scope)
  [ -n "$scope" ] || { echo "mutate --ci: mutation/incremental.json holds no results; run \`npm run mutate\` and commit it" >&2; exit 1; }
  npx stryker run --mutate "$scope" "${@:2}"
  node scripts/mutation-score.js --measured-only reports/mutation/mutation.json
  exit
fi
npx stryker run "$@"
node scripts/mutation-baseline.js compact
node scripts/mutation-score.js reports/mutation/mutation.json
