#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests and bench (playwright-core drives it; ADR 0040): installed with
# apt-get when missing, as the Kafka broker and Prometheus are provided. No browser is downloaded from elsewhere.
# Prints the path of the browser; fails with the reason (never skips) when it cannot be had.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); elif sudo -n true 2>/dev/null; then apt_get=(sudo -n apt-get); else
    echo "Chromium is missing and cannot be installed (not root, no passwordless sudo): run apt-get install -y chromium as root" >&2
    exit 1
  fi
  echo "installing Debian's chromium package" >&2
  { DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y --no-install-recommends chromium >&2 ||
    { "${apt_get[@]}" update -qq >&2 && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y --no-install-recommends chromium >&2; }; } ||
    { echo "could not install Chromium with apt-get: the console's browser tests cannot run" >&2; exit 1; }
fi
command -v chromium
