#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan, in
# build-fuzz/) and runs each for SECONDS_PER_TARGET (default 60), seeded
# from the W3C suites in tests/w3c. Fails on any crash, leak, hang (an input
# running over 10 s) or use of more than 2 GiB, and prints where the
# reproducer is.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]
#
# TARGET: fuzz_sparql_parse, fuzz_sparql_eval or fuzz_load (default: all).
#
# The corpus each run grows stays in build-fuzz/fuzz/corpus/ and seeds the
# next run; seeds are made again every time (build-fuzz/fuzz/seeds/).
# Reproduce a finding with: build-fuzz/tests/fuzz/TARGET FILE
# (CITYKG_FUZZ_VERBOSE=1 prints what the target writes).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
build=build-fuzz
work=$build/fuzz
all=(fuzz_sparql_parse fuzz_sparql_eval fuzz_load)
targets=("${@:-${all[@]}}")

# No -Werror here: clang warns where gcc does not, and the gcc build of
# scripts/setup.sh is the gate for warnings.
CC=clang cmake -S . -B "$build" -DCITYKG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCITYKG_WERROR=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${all[@]}" >/dev/null

# ---- seeds ---------------------------------------------------------------------
rm -rf "$work/seeds"
mkdir -p "$work/seeds" "$work/artifacts"
for t in "${all[@]}"; do mkdir -p "$work/seeds/$t" "$work/corpus/$t"; done

# fuzz_sparql_parse: every query of the SPARQL 1.0 and 1.1 suites.
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$work/seeds/fuzz_sparql_parse/$n.rq"
done < <(find tests/w3c/sparql -name '*.rq' -print0 | sort -z)

# fuzz_sparql_eval: the expressions of FILTER, BIND, HAVING and (expr AS ?v)
# in those queries, and tests/fuzz/eval-seeds.txt (every built-in and cast).
# The first byte picks the query around the expression and the result
# format (see fuzz_sparql_eval.c): seed k gets template k mod 8 and format
# (k / 8) mod 5.
extract_expressions() {
  find tests/w3c/sparql -name '*.rq' -print0 | xargs -0 perl -e '
    my $p = qr/(\((?:[^()"\x27]++|"(?:[^"\\\n]|\\.)*"|\x27(?:[^\x27\\\n]|\\.)*\x27|(?-1))*\))/;
    local $/;
    while (<>) {
        while (/\b(?:FILTER|HAVING)\s*((?:[\w:]+\s*)?)$p/gi) { out("$1$2") }
        while (/$p/g) { out($1) if $1 =~ /^\(\s*(.*\S)\s+AS\s+[?\$]\w+\s*\)$/si }
    }
    sub out { my $e = shift; $e =~ s/\s+/ /g; print "$e\n" if length $e < 600 }'
  cat tests/fuzz/eval-seeds.txt
}
k=0
while IFS= read -r e; do
  sel=$(( (k % 8) | ((k / 8 % 5) << 3) ))
  { printf "\\$(printf '%03o' "$sel")"; printf '%s' "$e"; } >"$work/seeds/fuzz_sparql_eval/$k"
  k=$((k + 1))
done < <(extract_expressions | sort -u)

# fuzz_load: the documents of the RDF 1.1 and SPARQL suites up to 16 KiB
# (not the manifests: long and all alike), behind a byte naming their
# format (0 ntriples, 1 nquads, 2 turtle, 3 trig, 4 rdfxml; every other file
# with bit 3 set: load into a named graph).
k=0
while IFS= read -r -d '' f; do
  case "$f" in
    */manifest*) continue ;;
    *.nt) b=0 ;; *.nq) b=1 ;; *.ttl) b=2 ;; *.trig) b=3 ;; *.rdf) b=4 ;; *) continue ;;
  esac
  [ "$(stat -c %s "$f")" -le 16384 ] || continue
  b=$(( b | (k % 2) << 3 ))
  { printf "\\$(printf '%03o' "$b")"; cat "$f"; } >"$work/seeds/fuzz_load/$k"
  k=$((k + 1))
done < <(find tests/w3c -type f \( -name '*.nt' -o -name '*.nq' -o -name '*.ttl' \
                                  -o -name '*.trig' -o -name '*.rdf' \) -print0 | sort -z)

# ---- runs ---------------------------------------------------------------------------
declare -A dict=([fuzz_sparql_parse]=tests/fuzz/sparql.dict [fuzz_sparql_eval]=tests/fuzz/sparql.dict
                 [fuzz_load]=tests/fuzz/rdf.dict)
declare -A max_len=([fuzz_sparql_parse]=8192 [fuzz_sparql_eval]=1024 [fuzz_load]=16384)
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1
# raptor's and libxml2's own leaks (see the file); nothing of citykg's.
export LSAN_OPTIONS=suppressions=$PWD/tests/tools/lsan-raptor.supp:print_suppressions=0
failed=0
for t in "${targets[@]}"; do
  log=$work/$t.log
  rm -f "$work/artifacts/$t"-*
  start=$(date +%s)
  status=0
  "$build/tests/fuzz/$t" "$work/corpus/$t" "$work/seeds/$t" \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len[$t]}" \
    -dict="${dict[$t]}" -detect_leaks=1 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t-" >"$log" 2>&1 || status=$?
  took=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ "$status" = 0 ]; then
    echo "fuzz: $t: ok, ${runs:-?} runs in ${took}s (${rate:-?}/s), ${cov:-cov: ?}, corpus $(ls "$work/corpus/$t" | wc -l)"
  else
    failed=1
    echo "fuzz: $t: FAILED (exit $status) after ${took}s; log $log"
    grep -E 'ERROR|SUMMARY|runtime error|fuzz: |Test unit written' "$log" | head -20 || true
    for a in "$work/artifacts/$t"-*; do
      [ -e "$a" ] && echo "fuzz: reproduce with: $build/tests/fuzz/$t $a"
    done
  fi
done
exit "$failed"
