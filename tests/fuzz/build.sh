#!/bin/sh
# Builds and runs the fuzzers with Debian's clang (libFuzzer + ASan + UBSan).
#   tests/fuzz/build.sh            build $OUT/fuzz_model_file
#   tests/fuzz/build.sh run [SEC]  build, then fuzz for SEC seconds (default 180)
#   tests/fuzz/build.sh seeds      rewrite the seed corpus tests/fuzz/corpus/model_file
#   tests/fuzz/build.sh csv [SEC]  build and run the CSV points fuzzer (corpus tests/fuzz/corpus/csv_points)
#   tests/fuzz/build.sh safetensors [SEC]  build and run the .safetensors reader's fuzzer
#                                  (corpus tests/fuzz/corpus/safetensors)
# OUT defaults to build/fuzz. Needs clang++ and libclang-rt-14-dev (libFuzzer's runtime).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$ROOT/build/fuzz}
CXX=${CXX:-clang++}
MODE=${1:-build}
mkdir -p "$OUT"

# The reader and writer need no xtensor: only the io/ sources and the config header.
SOURCES="$ROOT/src/genlab/io/model_file_read.cpp $ROOT/src/genlab/io/model_file_write.cpp
         $ROOT/src/genlab/io/model_file_check.cpp $ROOT/src/genlab/io/model_file_rules.cpp"
FLAGS="-std=c++17 -g -O1 -I $ROOT/src -I $ROOT/tests -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion
       -Wold-style-cast -Werror"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

case "$MODE" in
  build|run)
    # shellcheck disable=SC2086
    $CXX $FLAGS $SAN -fsanitize=fuzzer $SOURCES "$ROOT/tests/fuzz/src/fuzz_model_file.cc" -o "$OUT/fuzz_model_file"
    echo "built $OUT/fuzz_model_file"
    if [ "$MODE" = run ]; then
      SECONDS_TO_RUN=${2:-180}
      mkdir -p "$OUT/corpus" "$OUT/artifacts"
      # New inputs go to $OUT/corpus; the committed seeds are only read.
      "$OUT/fuzz_model_file" -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 \
        -dict="$ROOT/tests/fuzz/model_file.dict" -artifact_prefix="$OUT/artifacts/" \
        "$OUT/corpus" "$ROOT/tests/fuzz/corpus/model_file"
    fi
    ;;
  csv)
    # The CSV parser returns an xtensor: plain headers, no xsimd needed.
    # shellcheck disable=SC2086
    $CXX $FLAGS $SAN -fsanitize=fuzzer "$ROOT/src/genlab/data/csv_points.cpp" \
      "$ROOT/tests/fuzz/src/fuzz_csv_points.cc" -o "$OUT/fuzz_csv_points"
    echo "built $OUT/fuzz_csv_points"
    mkdir -p "$OUT/corpus_csv" "$OUT/artifacts"
    "$OUT/fuzz_csv_points" -max_total_time="${2:-180}" -print_final_stats=1 -max_len=4096 \
      -artifact_prefix="$OUT/artifacts/" "$OUT/corpus_csv" "$ROOT/tests/fuzz/corpus/csv_points"
    ;;
  safetensors)
    # shellcheck disable=SC2086
    $CXX $FLAGS $SAN -fsanitize=fuzzer "$ROOT/src/genlab/io/safetensors.cpp" "$ROOT/src/genlab/io/quantize.cpp" \
      "$ROOT/tests/fuzz/src/fuzz_safetensors.cc" -o "$OUT/fuzz_safetensors"
    echo "built $OUT/fuzz_safetensors"
    mkdir -p "$OUT/corpus_safetensors" "$OUT/artifacts"
    "$OUT/fuzz_safetensors" -max_total_time="${2:-180}" -print_final_stats=1 -max_len=8192 \
      -dict="$ROOT/tests/fuzz/safetensors.dict" -artifact_prefix="$OUT/artifacts/" \
      "$OUT/corpus_safetensors" "$ROOT/tests/fuzz/corpus/safetensors"
    ;;
  seeds)
    # shellcheck disable=SC2086
    $CXX $FLAGS $SAN $SOURCES "$ROOT/src/genlab/io/safetensors.cpp" "$ROOT/tests/fuzz/src/make_seeds.cc" \
      -o "$OUT/make_seeds"
    mkdir -p "$ROOT/tests/fuzz/corpus/model_file" "$ROOT/tests/fuzz/corpus/safetensors"
    "$OUT/make_seeds" "$ROOT/tests/fuzz/corpus/model_file" "$ROOT/tests/fuzz/corpus/safetensors"
    ;;
  *)
    echo "usage: $0 [build | run [seconds] | seeds | csv [seconds] | safetensors [seconds]]" >&2
    exit 2
    ;;
esac
