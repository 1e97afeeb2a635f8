#!/usr/bin/env bash
# Fuzzes the recording reader, the importer (CSV, JSON Lines), the query parser and the
# feed parser (feedxml: RSS/RDF/Atom, feedjson: JSON Feed) with
# libFuzzer + AddressSanitizer, SECONDS seconds each (default 300).
#   scripts/fuzz.sh [SECONDS] [TARGET...]       targets: reader csv jsonl query feedxml feedjson
# Seeds: Tests/FuzzCorpus/<target>/ (kept in git). Inputs libFuzzer finds go to
# .build/fuzz-corpus/<target>/; a crash is saved to .build/fuzz-artifacts/ and fails the
# run: add it to Tests/FuzzCorpus/<target>/ so that the tests replay it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(reader csv jsonl query feedxml feedjson)

build=.build/fuzz
swift build --product newsdesk-fuzz --build-path "$build" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -3 || true
binary="$build/debug/newsdesk-fuzz"
[ -x "$binary" ] || { echo "fuzz.sh: the fuzz build failed" >&2; exit 1; }

mkdir -p .build/fuzz-artifacts
status=0
for target in "${targets[@]}"; do
    corpus=".build/fuzz-corpus/$target"
    mkdir -p "$corpus"
    log=".build/fuzz-artifacts/$target.log"
    # -rss_limit_mb: memory must stay bounded; -timeout: no input may hang (seconds).
    if NEWSDESK_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix=".build/fuzz-artifacts/$target-" \
        "$corpus" "Tests/FuzzCorpus/$target" >"$log" 2>&1; then
        runs=$(grep -m1 "stat::number_of_executed_units" "$log" | awk '{print $2}')
        rate=$(grep -m1 "stat::average_exec_per_sec" "$log" | awk '{print $2}')
        echo "fuzz $target: ${seconds}s, $runs executions, $rate/s, corpus $(ls "$corpus" | wc -l) inputs, no crash"
    else
        status=1
        echo "fuzz $target: FAILED (log: $log)" >&2
        grep -E "ERROR|Fatal error|SUMMARY|Test unit written|artifact" "$log" | head -8 >&2
    fi
done
exit $status
