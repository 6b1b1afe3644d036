#!/usr/bin/env bash
# Installs what the test suite needs beyond node_modules: mongo-java-server (the embedded database stand-in,
# resolved from Maven Central into .cache/), Debian's Chromium (browser tests) and the openssl command (a test
# makes a throwaway TLS certificate for an HTTPS LMS). Safe to run repeatedly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -f scripts/ensure-mongo-java-server.sh ]]; then
  bash scripts/ensure-mongo-java-server.sh
else
  echo "ensure-test-tools: warning: scripts/ensure-mongo-java-server.sh is missing; skipped it" >&2
fi

bash scripts/ensure-chromium.sh

if ! command -v openssl >/dev/null 2>&1; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null
    echo "ensure-test-tools: installed openssl"
  else
    echo "ensure-test-tools: openssl is missing; install it (apt-get install openssl)" >&2
    exit 1
  fi
fi
