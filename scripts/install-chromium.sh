#!/usr/bin/env bash
# Debian's Chromium for the impact report's browser test (test/e2e/impact): installed with apt when
# missing, never downloaded by npm. Needs root or sudo; prints the browser's path.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  { $sudo apt-get install -y chromium || { $sudo apt-get update && $sudo apt-get install -y chromium; }; } >&2
fi
command -v chromium
