#!/usr/bin/env bash
# `baseline add` and `baseline draft` of one large generated document (text or
# CSV) against `git add` + `git commit` of the same file, in the same run:
# wall time (hyperfine, median of RUNS runs, each on a fresh repository) and
# peak memory (/usr/bin/time, one more run each). Linux; needs hyperfine, git, awk.
#
#   scripts/bench-big-files.sh [MEGABYTES...]        default: 200 500
#
# Environment: BASELINE_BIN (required: a release build, `cargo build --release`),
# BASELINE_BEFORE (a second binary timed beside it, e.g. one built from an older
# commit), RUNS (default 3), BENCH_DIR (default: a temporary folder, removed).
set -euo pipefail
bin=${BASELINE_BIN:?set BASELINE_BIN to a release build of baseline (cargo build --release)}
runs=${RUNS:-3}
work=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

# A document of $2 MB: prose lines of words from a small vocabulary (text), or
# rows keyed K000000001... with six columns (csv). Deterministic.
generate() {
  awk -v kind="$1" -v target=$(( $2 * 1000000 )) 'BEGIN {
    srand(7); n = split("flow settlement meter half-hourly interface DIP message registration supplier agent the of and to data service volume MPAN reading consumption tariff é export import D0012 validation rule shall must be", w, " ")
    if (kind == "csv") { print "Key,Flow,Name,Owner,Status,Note"; size = 32 }
    while (size < target) {
      if (kind == "csv") {
        line = sprintf("K%09d,D%04d,%s %s %s,%s,%s,%s %s %s %s %s", ++row, int(rand() * 10000),
          w[int(rand()*n)+1], w[int(rand()*n)+1], w[int(rand()*n)+1], w[int(rand()*n)+1],
          (rand() < 0.5 ? "open" : "closed"), w[int(rand()*n)+1], w[int(rand()*n)+1],
          w[int(rand()*n)+1], w[int(rand()*n)+1], w[int(rand()*n)+1])
      } else {
        line = w[int(rand()*n)+1]; k = 4 + int(rand() * 16)
        for (i = 1; i < k; i++) line = line " " w[int(rand()*n)+1]
      }
      print line; size += length(line) + 1
    }
  }' > "$3"
}

# A design repository with nothing registered, and one with BIG registered
# from a small file of the same name, for each binary.
templates() {
  local name=$1 file=$2 b=$3 tag=$4
  rm -rf "$work/empty-$tag" "$work/registered-$tag"
  mkdir "$work/empty-$tag"
  git -C "$work/empty-$tag" init -q
  git -C "$work/empty-$tag" config user.name Bench
  git -C "$work/empty-$tag" config user.email bench@example.org
  (cd "$work/empty-$tag" && "$b" init >/dev/null)
  cp -a "$work/empty-$tag" "$work/registered-$tag"
  head -n 100 "$file" > "$work/$name"
  (cd "$work/registered-$tag" && "$b" add BIG --title Big ${key:+--key "$key"} "$work/$name" >/dev/null)
}

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200 500)
for mb in "${sizes[@]}"; do
  for kind in txt csv; do
    name=big.$kind; file=$work/source-$mb.$kind
    key=; [ "$kind" = csv ] && key=Key
    generate "$kind" "$mb" "$file"
    echo "== $mb MB $kind ($(stat -c %s "$file") bytes)"
    commands=(
      --prepare "rm -rf $work/g && git init -q $work/g && cp $file $work/g/$name && sync"
      -n "git add + git commit" "cd $work/g && git add $name && git -c user.name=B -c user.email=b@e commit -qm x"
    )
    binaries=("after:$bin")
    [ -n "${BASELINE_BEFORE:-}" ] && binaries+=("before:$BASELINE_BEFORE")
    for entry in "${binaries[@]}"; do
      tag=${entry%%:*}; b=${entry#*:}
      templates "$name" "$file" "$b" "$tag"
      commands+=(
        --prepare "rm -rf $work/a && cp -a $work/empty-$tag $work/a && sync"
        -n "add ($tag)" "cd $work/a && $b add BIG --title Big ${key:+--key $key} $file"
        --prepare "rm -rf $work/d && cp -a $work/registered-$tag $work/d && cp $file $work/d/artefacts/BIG/$name && sync"
        -n "draft ($tag)" "cd $work/d && $b draft BIG"
      )
    done
    hyperfine --runs "$runs" --style basic --export-markdown "$work/times-$mb-$kind.md" "${commands[@]}"
    cat "$work/times-$mb-$kind.md"
    peak() { /usr/bin/time -f "$1: %e s, peak %M KB" sh -c "$2" 2>&1 >/dev/null | tail -1; }
    rm -rf "$work/g" && git init -q "$work/g" && cp "$file" "$work/g/$name"
    peak "git add + git commit" "cd $work/g && git add $name && git -c user.name=B -c user.email=b@e commit -qm x"
    for entry in "${binaries[@]}"; do
      tag=${entry%%:*}; b=${entry#*:}
      templates "$name" "$file" "$b" "$tag"
      rm -rf "$work/a" && cp -a "$work/empty-$tag" "$work/a"
      peak "add ($tag)" "cd $work/a && $b add BIG --title Big ${key:+--key $key} $file"
      rm -rf "$work/d" && cp -a "$work/registered-$tag" "$work/d" && cp "$file" "$work/d/artefacts/BIG/$name"
      peak "draft ($tag)" "cd $work/d && $b draft BIG"
    done
    rm -f "$file"
  done
done
