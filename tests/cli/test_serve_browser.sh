#!/bin/bash
# test_serve_browser.sh: the service's web pages end to end in headless Chromium (Debian's
# chromium package), driven by tests/browser/pages.test.mjs with playwright-core from the npm
# registry (installed on first run into build/browser-deps, outside the source tree). Screenshots
# land in $HC_BUILD_DIR/browser-screenshots. Skipped (exit 77) when node or chromium is missing;
# `scripts/install-deps.sh --test` installs both.
set -u
src=${HC_SOURCE_DIR:?run through ctest}
build=${HC_BUILD_DIR:?}
chromium=${HC_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 || [ ! -x "$chromium" ]; then
    echo "SKIP: needs node, npm and $chromium (sh scripts/install-deps.sh --test)"
    exit 77
fi
deps=$src/build/browser-deps
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["devDependencies"]["playwright-core"])' \
    "$src/tests/browser/package.json")
have=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$deps/node_modules/playwright-core/package.json" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
    mkdir -p "$deps"
    cp "$src/tests/browser/package.json" "$deps/package.json"
    # A lock on the folder: the dev and sanitizer builds may run this test at the same time.
    if ! flock "$deps/.lock" npm install --prefix "$deps" --no-package-lock --no-audit --no-fund \
            --loglevel=error >"$deps/npm.log" 2>&1; then
        echo "FAIL: npm install playwright-core@$want"; cat "$deps/npm.log"; exit 1
    fi
fi
export HC_BROWSER_DEPS=$deps HC_CHROMIUM=$chromium
export HC_SCREENSHOTS=$build/browser-screenshots
mkdir -p "$HC_SCREENSHOTS"
exec node --test --test-reporter=spec "$src/tests/browser/pages.test.mjs"
