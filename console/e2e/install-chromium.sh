#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (playwright-core downloads no browser).
# Skips when a Chromium is already installed or CHROMIUM_PATH names one; otherwise installs it
# with apt-get (as root, or through sudo). Called by `make test` and `make screenshots`.
set -euo pipefail

if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then
  echo "chromium=${CHROMIUM_PATH}"
  exit 0
fi
for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
  if path=$(command -v "$candidate" 2>/dev/null); then
    echo "chromium=${path}"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing and this is not a Debian-like system: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
if [[ "$(id -u)" == 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "Chromium is missing and installing it needs root: run 'apt-get install chromium' as root, or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "installing Chromium from Debian (apt-get install chromium)…"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
echo "chromium=$(command -v chromium)"
