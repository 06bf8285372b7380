#!/usr/bin/env bash
# Builds the Pulumi CLI (and the Node.js language host, where the proxy has it) from Go modules, at the version of
# @pulumi/pulumi in package-lock.json, and caches them per version. Prints the bin folder last.
#
# pkg/go.mod has replace directives, so `go install …@version` cannot build it: a throw-away
# module requires matching pkg/v3 and sdk/v3 versions and copies pkg's replace directives.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')
cache="${APIGUARD_CACHE:-$HOME/.cache/apiguard}/pulumi/v$version"
bin="$cache/bin"

if [ -x "$bin/pulumi" ] && "$bin/pulumi" version 2>/dev/null | grep -qx "v$version"; then
  echo "$bin"
  exit 0
fi

echo "building pulumi v$version from Go modules (first time on this machine: several minutes)" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# The checksum database is not reachable from here (only the module proxy is); modules still come
# from the proxy, pinned by version.
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOSUMDB=off
go mod init apiguard.local/pulumi-build >/dev/null 2>&1
go mod edit -require="github.com/pulumi/pulumi/pkg/v3@v$version" -require="github.com/pulumi/pulumi/sdk/v3@v$version"
go mod download "github.com/pulumi/pulumi/pkg/v3@v$version"
pkgdir=$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/pkg/v3")
# Copy pkg's replace directives that point at other modules (not at local paths).
go mod edit -json "$pkgdir/go.mod" | node -e '
  const mod = JSON.parse(require("fs").readFileSync(0, "utf8"));
  for (const r of mod.Replace ?? []) {
    if (r.New.Path.startsWith(".") || r.New.Path.startsWith("/")) continue;
    const from = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
    const to = r.New.Version ? `${r.New.Path}@${r.New.Version}` : r.New.Path;
    console.log(`-replace=${from}=${to}`);
  }' | xargs -r go mod edit
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
GO
go mod tidy -e >/dev/null 2>&1 || true
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
mkdir -p "$work/out"
go build -ldflags "$ldflags" -o "$work/out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
# The Node.js language host is its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3). The module
# proxy does not serve it at release versions, so it is built only when the proxy has it.
host=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
if go mod download "$host@v$version" 2>/dev/null; then
  go mod edit -require="$host@v$version"
  go build -ldflags "$ldflags" -o "$work/out/pulumi-language-nodejs" "$host"
else
  echo "note: $host@v$version is not on the Go module proxy; pulumi-language-nodejs not built" >&2
fi

mkdir -p "$(dirname "$cache")"
rm -rf "$cache.tmp" && mkdir -p "$cache.tmp/bin" && mv "$work/out/"* "$cache.tmp/bin/"
rm -rf "$cache" && mv "$cache.tmp" "$cache"   # all or nothing: a half-built cache never looks complete
echo "$bin"
