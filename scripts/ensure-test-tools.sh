#!/usr/bin/env bash
# Installs what the test suite needs beyond node_modules: mongo-java-server (the embedded database stand-in,
# resolved from Maven Central into .cache/) and Debian's Chromium (browser tests). Safe to run repeatedly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -f scripts/ensure-mongo-java-server.sh ]]; then
  bash scripts/ensure-mongo-java-server.sh
else
  echo "ensure-test-tools: warning: scripts/ensure-mongo-java-server.sh is missing; skipped it" >&2
fi

bash scripts/ensure-chromium.sh
