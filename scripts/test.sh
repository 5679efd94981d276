#!/usr/bin/env bash
# Runs every check and test of the project; exits non-zero on the first failure.
# Installs what is missing first (scripts/setup.sh), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

start=$SECONDS
step() { printf '\n\033[1m==> %s\033[0m  (%ss)\n' "$*" "$((SECONDS - start))"; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (host, all targets)"
cargo clippy --all-targets --locked -- -D warnings

step "clippy (wasm32-unknown-unknown, --features web)"
cargo clippy --target wasm32-unknown-unknown --features web --lib --bins --test web --locked -- -D warnings

step "clippy (the web layer's native unit tests)"
cargo clippy --features web --lib --tests --locked -- -D warnings

step "the core has no web crate in its dependency graph"
if cargo tree -e normal --locked --prefix none | grep -E '^(yew|yew-agent|web-sys|gloo|wasm-bindgen|leaflet|js-sys) '; then
  echo "a web crate is in the default dependency graph" >&2
  exit 1
fi

step "cargo test (native: unit, integration, doc)"
cargo test --locked

step "the web layer's pure unit tests, natively (i18n formats, dates)"
cargo test --features web --lib --locked web::

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet

step "cargo bench --no-run"
cargo bench --no-run --locked --quiet

step "wasm-bindgen tests in headless Chromium"
cargo test --target wasm32-unknown-unknown --features web --test web --locked

step "trunk build --release"
trunk build --release --offline

step "end-to-end tests (Playwright + Debian Chromium)"
node --test --test-concurrency=1 e2e/

step "all checks passed in $((SECONDS - start))s"
