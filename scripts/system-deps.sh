#!/usr/bin/env bash
# Debian packages the platform needs beyond Python: CJK fonts and HarfBuzz's subsetter for PDF notices and
# certificates (weasyprint), Pango for weasyprint, and Chromium for the browser tests (Playwright drives
# /usr/bin/chromium; browsers cannot be downloaded here). Installs only what is missing.
set -euo pipefail
PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
