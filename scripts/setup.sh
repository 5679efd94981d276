#!/usr/bin/env bash
# Installs whatever this project needs and is missing; does nothing for what is already there.
# Everything comes from crates.io, Debian apt and npm: nothing is downloaded from GitHub or a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14 # 0.22 needs rustc >= 1.96.1
# wasm-bindgen-cli must be exactly the wasm-bindgen in Cargo.lock (pinned with "=" in Cargo.toml).
WBG_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

missing_apt=()
command -v chromium >/dev/null 2>&1 || missing_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing_apt+=(chromium-driver)
# CJK glyphs, so the headless screenshots show Chinese text.
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK || missing_apt+=(fonts-noto-cjk)
if ((${#missing_apt[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "apt-get install ${missing_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for c in clippy rustfmt; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk@$TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi
# Not --locked: the CLI's own lock file pins a webpki-roots version crates.io no longer has.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "cargo install wasm-bindgen-cli@$WBG_VERSION (about 4 minutes)"
  cargo install --force "wasm-bindgen-cli@$WBG_VERSION"
fi

# Leaflet (copied into dist by trunk), binaryen's wasm-opt, playwright-core, axe-core.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
