#!/bin/sh
# quickstart.sh: installs what is missing, builds healthcert and runs the main job.
# Until the HTTP service lands, the main job is verifying the bundled sample certificate.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DHC_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target healthcert_cli
echo "== healthcert verify examples/DE-vaccination.txt"
set +e
build/release/healthcert verify --trust examples/DE-vaccination-dsc.pem \
    --at 2021-06-01T20:00:00+02:00 examples/DE-vaccination.txt
rc=$?
set -e
echo "(exit code $rc; the program is build/release/healthcert, see --help)"
exit $rc
