#!/bin/bash
# test_serve_reload.sh: `healthcert serve --trust DIR` reloading its trust material on SIGHUP
# (tests/cli/serve_test.py reload): a DSC added to the folder becomes trusted and published in
# /v1/trustlist, a removed one KEY_NOT_TRUSTED, a broken file keeps the previous material
# (`trust-reload-failed`, no file name in the log), and 2,000 verifications over 4 keep-alive
# connections during 20 reloads are all answered 200 VALID. Under the ASan build this is the
# check that no request uses a freed trust generation.
set -u
exec python3 "${HC_SOURCE_DIR:?run through ctest}/tests/cli/serve_test.py" reload
