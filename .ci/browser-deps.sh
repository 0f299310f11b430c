#!/usr/bin/env bash
# What the browser test (tests/browser.rs) needs: Debian's headless Chromium and
# CJK fonts. Idempotent; called from .ci/run before `cargo test`. Each package is
# checked on its own, so a machine with Chromium but no CJK fonts still gets them.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
