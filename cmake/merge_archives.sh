#!/bin/sh
# merge_archives.sh OUT.a IN1.a IN2.a ...: one static library from several (GNU ar MRI script).
out=$1
shift
{
    echo "CREATE $out"
    for a in "$@"; do echo "ADDLIB $a"; done
    echo "SAVE"
    echo "END"
} | ar -M
