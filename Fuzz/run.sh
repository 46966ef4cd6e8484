#!/usr/bin/env bash
# Builds the libFuzzer harnesses (debug, with AddressSanitizer and LeakSanitizer) and runs each
# one on a working copy of its committed seeds.
#   Fuzz/run.sh                          every harness for 20 s (what CI runs)
#   Fuzz/run.sh --seconds 600 FuzzStore  one harness for 10 minutes
#   Fuzz/run.sh --runs 1000000           every harness for a million executions
#   Fuzz/run.sh --release ...            optimised code (with the same sanitizers): several times
#                                        the executions per second, for the long runs
#   Fuzz/run.sh --seed 1 ...             libFuzzer's random seed (CI passes one, so that its short
#                                        runs explore the same inputs in the same order every time:
#                                        a red CI is a regression, not bad luck; the default is a
#                                        new seed per run, for the long exploring runs)
# Limits: inputs up to 64 KiB (256 KiB for stores), no single allocation above 64 MB (so no
# reader may allocate from a size a file claims), 2 GB of RSS. A crash, leak or limit breach
# stops the run with exit status 1; the input is kept in Fuzz/.build/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=20 runs="" configuration=debug seed=0
harnesses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --release) configuration=release; shift ;;
    --seed) seed=$2; shift 2 ;;
    *) harnesses+=("$1"); shift ;;
  esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=(FuzzVectorFiles FuzzTokenizer FuzzStore)
swift build -c $configuration -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
  | grep -v "Cannot export local symbol" | tail -3
mkdir -p .build/artifacts
status=0
for h in "${harnesses[@]}"; do
  corpus=.build/corpus/$h
  mkdir -p "$corpus"
  cp -n Seeds/$h/* "$corpus"/ 2>/dev/null || true
  max_len=65536; [ "$h" = FuzzStore ] && max_len=262144
  limit=(-max_total_time="$seconds"); [ -n "$runs" ] && limit=(-runs="$runs")
  log=.build/artifacts/$h.log
  echo "== $h"
  # Swift's own backtracer is off: libFuzzer reports the crash and keeps the input.
  if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 ".build/$configuration/$h" "$corpus" "${limit[@]}" \
       -seed="$seed" -max_len=$max_len -malloc_limit_mb=64 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       -artifact_prefix=.build/artifacts/$h- >"$log" 2>&1; then
    grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' '; echo
  else
    status=1
    echo "$h FAILED; log: Fuzz/$log"
    grep -E "ERROR|SUMMARY|Fatal error|==[0-9]+==" "$log" | head -20
  fi
done
exit $status
