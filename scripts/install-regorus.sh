#!/usr/bin/env bash
# Builds the regorus differential-test harness (tools/regorus-harness: Microsoft's regorus crate with its
# `azure_policy` feature, pinned in Cargo.toml/Cargo.lock) from crates.io with cargo, and caches it per
# regorus version. Prints the harness binary's path last.
#
# The cache also records a hash of the harness sources, so editing the harness rebuilds it; the
# cargo target folder is kept beside the cache so such rebuilds compile only the harness.
set -euo pipefail
cd "$(dirname "$0")/.."

crate=tools/regorus-harness
version=$(sed -n 's/^regorus = { version = "=\([^"]*\)".*/\1/p' "$crate/Cargo.toml")
[ -n "$version" ] || { echo "$crate/Cargo.toml: no exact regorus pin (regorus = { version = \"=X.Y.Z\", ... })" >&2; exit 1; }
root="${APIGUARD_CACHE:-$HOME/.cache/apiguard}/regorus"
cache="$root/$version"
bin="$cache/bin/apiguard-regorus-harness"
stamp=$(cat "$crate/Cargo.toml" "$crate/Cargo.lock" "$crate/src/main.rs" | sha256sum | cut -c1-16)

if [ -x "$bin" ] && [ "$(cat "$cache/sources.sha256" 2>/dev/null)" = "$stamp" ]; then
  echo "$bin"
  exit 0
fi

command -v cargo >/dev/null || { echo "install-regorus.sh: cargo is required to build the regorus harness (https://rustup.rs)" >&2; exit 1; }
echo "building the regorus $version harness from crates.io (the first build on a machine takes several minutes)" >&2
mkdir -p "$root"
# --locked: the committed Cargo.lock decides every crate version.
cargo build --release --locked --quiet --manifest-path "$crate/Cargo.toml" --target-dir "$root/target" >&2

rm -rf "$cache.tmp" && mkdir -p "$cache.tmp/bin"
cp "$root/target/release/apiguard-regorus-harness" "$cache.tmp/bin/"
echo "$stamp" > "$cache.tmp/sources.sha256"
rm -rf "$cache" && mv "$cache.tmp" "$cache"   # all or nothing: a half-built cache never looks complete
echo "$bin"
