#!/usr/bin/env bash
# `npm test`: sets up what the tests need, builds, then runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-env.sh
npm run --silent build
npm run --silent typecheck
npx vitest run
.venv-test/bin/vermin --target=3.8- --no-tips --violations --eval-annotations runtimes/python/ez_pixel
.venv-test/bin/python -m pytest runtimes/python/tests -q
