#!/usr/bin/env bash
# Builds the web application (web/ -> web/dist): installs its npm packages
# from package-lock.json when they are missing or out of date, then
# type-checks and bundles. Called by demo.sh and test.sh; run it by hand after
# changing web/src.
set -euo pipefail
cd "$(dirname "$0")/../web"

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "web.sh: npm ci"
  # --ignore-scripts: no package needs an install script here (esbuild and
  # TypeScript ship their binaries as packages); nothing runs at install.
  npm ci --no-audit --no-fund --ignore-scripts
fi
npm run --silent build
