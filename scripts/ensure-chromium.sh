#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (CI machines start without it).
# Prints the executable path. Browser tests are skipped only when MODELC_SKIP_BROWSER=1.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends chromium >&2
echo /usr/bin/chromium
