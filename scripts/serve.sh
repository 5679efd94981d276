#!/usr/bin/env bash
# Builds the app (release, offline) and serves it on the embedded default data package.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PORT="${PORT:-8080}"
trunk build --release --offline
echo
echo "双圈 planner: open http://127.0.0.1:$PORT/   (Ctrl-C to stop)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
