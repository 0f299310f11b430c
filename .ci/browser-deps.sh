#!/usr/bin/env bash
# What the browser test (tests/browser.rs) needs: Debian's headless Chromium and
# CJK fonts. Idempotent; called from .ci/run before `cargo test`.
set -euo pipefail
command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)
