#!/bin/sh
# libFuzzer over every target of the FuzzTesting package (one executable per area):
#   1. builds FuzzTesting with -sanitize=fuzzer,address (debug),
#   2. replays every saved crasher in FuzzTesting/FailCases/<Target>/ (each must now pass),
#   3. fuzzes every target for CRM_WHATSAPP_FUZZ_SECONDS (default 20) seconds.
# A new crash fails the suite; its input is kept under $CRM_WHATSAPP_ARTIFACTS/fuzz/ : fix the bug,
# then add the input to FuzzTesting/FailCases/<Target>/ so it is replayed from then on.
set -eu
cd "$(dirname "$0")/../.."
seconds=${CRM_WHATSAPP_FUZZ_SECONDS:-20}
artifacts=${CRM_WHATSAPP_ARTIFACTS:-$(pwd)/test-artifacts}/fuzz
mkdir -p "$artifacts"

# How libFuzzer gets control: SwiftPM compiles every executable target with
# `-entry-point-function-name <Target>_main` and links it with `--defsym main=<Target>_main`, so neither
# libFuzzer's own `main` nor plain top-level code would run the fuzzer. The targets are compiled with
# -parse-as-library (they only export LLVMFuzzerTestOneInput) and a small C object generated here
# defines `<Target>_main` for every target as a call into libFuzzer's driver (LLVMFuzzerRunDriver).
# lld: ld.gold prints hundreds of harmless warnings about __asan_check_* symbols.
mkdir -p FuzzTesting/.build
entry=FuzzTesting/.build/fuzz-entry-points
{
    echo '#include <stddef.h>'
    echo '#include <stdint.h>'
    echo 'int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);'
    echo 'int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t));'
    for source in FuzzTesting/Sources/*/; do
        target=$(basename "$source")
        echo "int ${target}_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }"
    done
} >"$entry.c.new"
if ! cmp -s "$entry.c.new" "$entry.c"; then mv "$entry.c.new" "$entry.c"; else rm -f "$entry.c.new"; fi
if [ ! -f "$entry.o" ] || [ -n "$(find "$entry.c" -newer "$entry.o")" ]; then
    clang -c -fPIC -O1 "$entry.c" -o "$entry.o"
fi
flags="-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld -Xlinker $(pwd)/$entry.o"
echo "== building FuzzTesting (libFuzzer + ASan)" >&2
# shellcheck disable=SC2086
swift build -c debug --package-path FuzzTesting $flags >&2
# shellcheck disable=SC2086
bin=$(swift build -c debug --package-path FuzzTesting $flags --show-bin-path)

failed=""
for source in FuzzTesting/Sources/*/; do
    target=$(basename "$source")
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
    corpus=$(mktemp -d)
    if [ "$target" = FuzzNativeMessages ]; then
        # Seeds: byte 0 = split point, byte 1 = frame cap, then framed requests.
        printf '\200\000\034\000\000\000{"id":1,"type":"host.hello"}' >"$corpus/hello"
        printf '\100\001\050\000\000\000{"id":"p","type":"host.ping","payload":{"echo":[1,{"a":null}]}}' >"$corpus/ping"
        printf '\010\000\072\000\000\000{"id":2,"type":"message.send","payload":{"to":"1","text":"t"}}' >"$corpus/send"
        printf '\377\000\377\377\377\377{' >"$corpus/huge"
    fi
    echo "== $target: fuzzing for ${seconds}s" >&2
    if ! "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" "$corpus" >"$artifacts/$target.log" 2>&1; then
        echo "FAIL $target: crash found; input saved as $artifacts/$target-crash-* (log: $artifacts/$target.log)" >&2
        failed="$failed $target"
    else
        grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$artifacts/$target.log" | sed "s/^/   $target /" >&2 || true
    fi
    rm -rf "$corpus"
done

if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed" >&2
    exit 1
fi
echo "fuzz: every target replayed its fail cases and ran ${seconds}s without a crash" >&2
