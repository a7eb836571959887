#!/bin/bash
# Compares the `quick` layer timings of two checkouts on a shared, noisy host: runs them alternately ROUNDS times
# and prints, per workload and checkout, the best time and every time. Build QuantuneV2.Benchmarks in both first
# (dotnet build -c Release benchmarks/QuantuneV2.Benchmarks); e.g. an older commit with `git worktree add /tmp/old REV`.
# usage: benchmarks/quick-ab.sh OTHER_CHECKOUT [ROUNDS=3] [FILTER="int8 AvxVnni"]
set -euo pipefail
other=${1:?usage: quick-ab.sh OTHER_CHECKOUT [ROUNDS] [FILTER]}
rounds=${2:-3}
filter=${3:-int8 AvxVnni}
here=$(cd "$(dirname "$0")/.." && pwd)
dll=benchmarks/QuantuneV2.Benchmarks/bin/Release/net10.0/QuantuneV2.Benchmarks.dll
for checkout in "$other" "$here"; do
  [ -f "$checkout/$dll" ] || { echo "no $checkout/$dll: build QuantuneV2.Benchmarks there first" >&2; exit 1; }
done
for _ in $(seq "$rounds"); do
  for checkout in "$other" "$here"; do
    # Lines look like "NAME ...  0.123 ms   45.6 GMAC/s (CPU time: 45.6)": the name is everything before the time.
    dotnet "$checkout/$dll" quick "$filter" | awk -v c="$checkout" '{ for (i = 2; i <= NF; i++) if ($i == "ms") { n = $1; for (j = 2; j < i - 1; j++) n = n "_" $j; print n, c, $(i - 1) } }'
  done
done | awk '{ k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; all[k] = all[k] " " $3 }
  END { for (k in best) print k, "best", best[k], "all" all[k] }' | sort
