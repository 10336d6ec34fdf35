#!/bin/sh
# libFuzzer over every target (one executable per area, FuzzTesting/README.md):
#   1. builds the fuzz executables: they are targets of the main package (Linux), so after ./test.sh's
#      `swift build --build-tests` this is a no-op, and the dependencies are never compiled a second time;
#      our modules under test are compiled with -sanitize=fuzzer,address (see Package.swift),
#   2. replays every saved input in FuzzTesting/FailCases/<Target>/ (each must now pass),
#   3. fuzzes every target for CRM_WHATSAPP_FUZZ_SECONDS (default 20) seconds, as many at once as there
#      are cores (CRM_WHATSAPP_FUZZ_JOBS).
# A new crash fails the suite; its input is kept under $CRM_WHATSAPP_ARTIFACTS/fuzz/ : fix the bug,
# then add the input to FuzzTesting/FailCases/<Target>/ so it is replayed from then on (here and by
# `swift test`'s FuzzReplayTests, through the same body).
set -eu
cd "$(dirname "$0")/../.."
seconds=${CRM_WHATSAPP_FUZZ_SECONDS:-20}
artifacts=${CRM_WHATSAPP_ARTIFACTS:-$(pwd)/test-artifacts}/fuzz
mkdir -p "$artifacts"
export SWIFT_BACKTRACE=enable=no # libFuzzer, not Swift's backtracer, must handle a trap to keep the input

if [ "$(uname -s)" != Linux ]; then
    echo "50-fuzz: SKIPPED: libFuzzer comes with the Linux Swift toolchains only (FuzzReplayTests still replay the saved inputs)" >&2
    exit 0
fi
targets=$(cd FuzzTesting/Sources && ls)
if [ -n "${CRM_WHATSAPP_BIN:-}" ]; then
    bin=$CRM_WHATSAPP_BIN # ./test.sh built everything, the fuzz executables included
else
    echo "== building the fuzz targets (libFuzzer + ASan)" >&2
    for target in $targets; do
        swift build --product "$target" >&2
    done
    bin=$(swift build --show-bin-path)
fi

failed=""
runnable=""
for target in $targets; do
    exe="$bin/$target"
    if [ ! -x "$exe" ]; then
        echo "FAIL $target: $exe was not built" >&2
        failed="$failed $target"
        continue
    fi
    cases="FuzzTesting/FailCases/$target"
    mkdir -p "$cases"
    saved=$(find "$cases" -type f ! -name '.*' ! -name '*.md' | sort)
    if [ -n "$saved" ]; then
        count=$(printf '%s\n' "$saved" | wc -l)
        echo "== $target: replaying $count saved input(s)" >&2
        # shellcheck disable=SC2086
        if ! "$exe" -rss_limit_mb=4096 $saved >"$artifacts/$target-replay.log" 2>&1; then
            echo "FAIL $target: a saved input crashes again (see $artifacts/$target-replay.log)" >&2
            failed="$failed $target"
            continue
        fi
    fi
    runnable="$runnable $target"
done

# fuzz TARGET: one bounded run from a fresh corpus; writes $artifacts/TARGET.status (0 = no crash).
fuzz() {
    corpus=$(mktemp -d)
    if [ "$1" = FuzzNativeMessages ]; then
        # Seeds: byte 0 = split point, byte 1 = frame cap, then framed requests.
        printf '\200\000\034\000\000\000{"id":1,"type":"host.hello"}' >"$corpus/hello"
        printf '\100\001\050\000\000\000{"id":"p","type":"host.ping","payload":{"echo":[1,{"a":null}]}}' >"$corpus/ping"
        printf '\010\000\072\000\000\000{"id":2,"type":"message.send","payload":{"to":"1","text":"t"}}' >"$corpus/send"
        printf '\377\000\377\377\377\377{' >"$corpus/huge"
    fi
    status=0
    "$bin/$1" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$1-" "$corpus" >"$artifacts/$1.log" 2>&1 || status=$?
    echo "$status" >"$artifacts/$1.status"
    rm -rf "$corpus"
}

# Each fuzzer is single-threaded: run as many at once as there are cores (CRM_WHATSAPP_FUZZ_JOBS).
jobs=${CRM_WHATSAPP_FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
running=0
for target in $runnable; do
    echo "== $target: fuzzing for ${seconds}s" >&2
    rm -f "$artifacts/$target.status"
    fuzz "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait
for target in $runnable; do
    if [ "$(cat "$artifacts/$target.status" 2>/dev/null || echo missing)" != 0 ]; then
        echo "FAIL $target: crash found; input saved as $artifacts/$target-crash-* (log: $artifacts/$target.log)" >&2
        failed="$failed $target"
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$artifacts/$target.log" | sed "s/^/   $target /" >&2 || true
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed" >&2
    exit 1
fi
echo "fuzz: every target replayed its fail cases and ran ${seconds}s without a crash" >&2
