# testlib.sh: what the CLI test scripts share (sourced, not run; ctest runs tests/cli/test_*.sh).
#   check NAME EXPECTED_EXIT ACTUAL_EXIT [PATTERN FILE]   an exit code, and a pattern in a file
#   fail MESSAGE...                                       a failed check of the script's own
#   json FILE EXPR                                        prints a Python expression over d = FILE
#   finish [LABEL]                                        prints the counts; exit status 0 if none failed
fails=0
pass=0

fail() {
    echo "FAIL $*"
    fails=$((fails + 1))
}

check() {
    local name=$1 want=$2 got=$3
    if [ "$want" != "$got" ]; then
        fail "$name: exit $got, expected $want"
        [ $# -ge 5 ] && head -20 "$5"
        return
    fi
    if [ $# -ge 5 ] && ! grep -q -- "$4" "$5"; then
        fail "$name: output lacks '$4':"
        head -20 "$5"
        return
    fi
    pass=$((pass + 1))
}

json() {
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

finish() {
    echo "${1:+$1: }$pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}
