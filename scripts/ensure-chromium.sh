#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium for the browser tests (playwright-core
# drives it; Playwright's own browser download cannot work on machines without internet access).
# Idempotent: when Chromium is already there and runs, it exits at once without touching apt.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# fonts-dejavu-core: without any font, screenshots show boxes instead of text.
PACKAGES=(chromium fonts-dejavu-core)

chromium_version() {
  [[ -x "$CHROMIUM" ]] && "$CHROMIUM" --version 2>/dev/null
}

if version="$(chromium_version)"; then
  echo "ensure-chromium: already installed: ${version}"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  if version="$(chromium_version)"; then
    echo "ensure-chromium: installed ${PACKAGES[*]}: ${version}"
    exit 0
  fi
  echo "ensure-chromium: apt-get installed ${PACKAGES[*]} but '${CHROMIUM} --version' still fails" >&2
  exit 1
fi

cat >&2 <<MSG
ensure-chromium: ${CHROMIUM} is missing or does not run, and this script cannot install it
(it needs to run as root on a Debian/Ubuntu system with apt-get). Install it with:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}
MSG
exit 1
