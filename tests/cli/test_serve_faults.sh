#!/bin/bash
# test_serve_faults.sh: `healthcert serve` under hostile and broken clients, on SQLite
# (tests/cli/serve_test.py faults; shared/reference/security.md J1-J4, J16): malformed request
# lines and headers, smuggling headers, huge headers (431), slowloris (other clients keep being
# served, the slow sockets are cut by the header deadline), a 1 byte/s body, and kill -9 during
# concurrent issuance (no acknowledged certificate lost). The service must stay up throughout.
set -u
exec python3 "${HC_SOURCE_DIR:?run through ctest}/tests/cli/serve_test.py" faults
