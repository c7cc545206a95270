#!/usr/bin/env bash
# Installs everything the tests need, from the npm registry and PyPI only. Idempotent and quick
# when nothing changed: each step is skipped while the file it installs from is unchanged.
#   node_modules/            the CLI's own dependencies (npm ci)
#   runtimes/node/node_modules  the Node SDK's build and test dependencies (express, next, ...)
#   runtimes/node/test/typescript-4.0/node_modules  the oldest TypeScript its declarations support
#   .venv-test/              Python with pytest, the web frameworks and the schema validator
#   .tools/bin/              the package managers the end-to-end tests drive
#   PostgreSQL (Debian's postgresql, apt)  the ingest's second engine; the tests start their own clusters
#   Chromium (Debian's chromium, apt)      the dashboard and browser-SDK tests drive it with playwright-core
#   strace (Debian's strace, apt)          test/listen-durability.test.ts sees each sync before its 201
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${EZ_PIXEL_PYTHON:-python3}
mkdir -p .tools/bin .tools/stamps

# Runs "$@" unless the stamp for $1 matches the hash of the files listed in $2.
fresh() { # name "file1 file2..."
  local name=$1 files=$2 sum
  sum=$(cat $files 2>/dev/null | sha256sum | cut -d' ' -f1)
  [ -f ".tools/stamps/$name" ] && [ "$(cat ".tools/stamps/$name")" = "$sum" ]
}
stamp() { cat $2 2>/dev/null | sha256sum | cut -d' ' -f1 > ".tools/stamps/$1"; }

# The tests run initdb/pg_ctl from /usr/lib/postgresql/<version>/bin themselves (test/helpers/postgres.ts).
apt_packages=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_packages+=(postgresql)
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
command -v strace >/dev/null || apt_packages+=(strace)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "setup: apt-get install ${apt_packages[*]}"
  apt_get() { if [ "$(id -u)" = 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if ! fresh cli "package-lock.json" || [ ! -d node_modules ]; then
  echo "setup: npm ci (CLI)"; npm ci --no-audit --no-fund --loglevel=error; stamp cli "package-lock.json"
fi

if [ -f runtimes/node/package-lock.json ] && { ! fresh node-sdk "runtimes/node/package-lock.json" || [ ! -d runtimes/node/node_modules ]; }; then
  echo "setup: npm ci (runtimes/node)"
  (cd runtimes/node && npm ci --no-audit --no-fund --loglevel=error); stamp node-sdk "runtimes/node/package-lock.json"
fi

ts40="runtimes/node/test/typescript-4.0"
if [ -f "$ts40/package-lock.json" ] && { ! fresh ts-4.0 "$ts40/package-lock.json" || [ ! -d "$ts40/node_modules" ]; }; then
  echo "setup: npm ci (TypeScript 4.0 for the Node SDK's declaration test)"
  (cd "$ts40" && npm ci --no-audit --no-fund --loglevel=error); stamp ts-4.0 "$ts40/package-lock.json"
fi

if [ -f test/tools/package-lock.json ] && { ! fresh js-tools "test/tools/package-lock.json" || [ ! -d test/tools/node_modules ]; }; then
  echo "setup: npm ci (package managers for the end-to-end tests)"
  (cd test/tools && npm ci --no-audit --no-fund --loglevel=error); stamp js-tools "test/tools/package-lock.json"
fi
if [ -d test/tools/node_modules/.bin ]; then
  for bin in test/tools/node_modules/.bin/*; do ln -sf "$root/$bin" ".tools/bin/$(basename "$bin")"; done
fi

pyreq="runtimes/python/requirements-test.txt"
if [ ! -x .venv-test/bin/python ] || ! fresh py-test "$pyreq"; then
  echo "setup: Python test venv (.venv-test)"
  [ -x .venv-test/bin/python ] || "$python" -m venv .venv-test
  .venv-test/bin/python -m pip install --quiet --disable-pip-version-check -r "$pyreq"
  stamp py-test "$pyreq"
fi

toolreq="test/requirements-tools.txt"
if [ -f "$toolreq" ] && { [ ! -x .tools/venv/bin/python ] || ! fresh py-tools "$toolreq"; }; then
  echo "setup: Python package managers (.tools/venv)"
  [ -x .tools/venv/bin/python ] || "$python" -m venv .tools/venv
  .tools/venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$toolreq"
  stamp py-tools "$toolreq"
fi
for tool in uv poetry pdm pipenv hatch; do
  [ -x ".tools/venv/bin/$tool" ] && ln -sf "$root/.tools/venv/bin/$tool" ".tools/bin/$tool"
done
echo "setup: ready"
