#!/bin/sh
# quickstart.sh: the README's first command. Installs what is missing, builds healthcert, and
# serves the demo on http://127.0.0.1:8080 (SQLite):
#   - on first run, creates under ./var/ a demo country signing CA and document signer (country
#     "XX", demo only), an API token and the key that encrypts stored payloads (secrets mode 0600);
#   - prints the checkpoint and issuing page URLs and the API token;
#   - serves until Ctrl-C (graceful stop).
# Environment: HC_LISTEN (default 127.0.0.1:8080).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DHC_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target healthcert_cli
listen=${HC_LISTEN:-127.0.0.1:8080}
echo
echo "Open the issuing page, paste the API token, issue a certificate; check it on the checkpoint"
echo "page (camera, image or text). The HTTP API is in docs/service.md."
echo
exec build/release/healthcert serve --demo var --listen "$listen" --access-log var/access.log
