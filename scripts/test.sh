#!/usr/bin/env bash
# Install what the tests need (system packages, the project with its test extras) and run them.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real CJK fonts render the visible labels in test images; exiftool writes some metadata
# carriers in test files and is the baseline of the metadata benchmark.
need=()
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
# Serif (Ming) and brush (Kai) CJK faces for the labelled set's varied label styles.
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || need+=(fonts-arphic-uming)
[ -f /usr/share/fonts/truetype/arphic/ukai.ttc ] || need+=(fonts-arphic-ukai)
# Noto Sans/Serif CJK: faces the labelled sets are not drawn in (a test, the bench's --faces).
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
# The HTML report is tested in Debian's headless Chromium (driven by Playwright).
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

python3 -m pip install -q -e ".[test]"
python3 -m pytest "$@"
