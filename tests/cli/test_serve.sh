#!/bin/bash
# test_serve.sh: `healthcert serve` on SQLite, driven over HTTP (tests/cli/serve_test.py basic):
# every endpoint of shared/CONTRACT.md, tokens (401, 429, SIGHUP reload), body limits (413, 411),
# SQL metacharacters and path traversal, revocation end to end (REVOKED from /v1/verify and from
# `verify --revocation` with the published list, each EU hash type alone), the published trust
# list read back by `verify --trust`, graceful SIGTERM with a request in flight, and no personal
# data in the access log or (in the clear) in the database.
set -u
exec python3 "${HC_SOURCE_DIR:?run through ctest}/tests/cli/serve_test.py" basic
