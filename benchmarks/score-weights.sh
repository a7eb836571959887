#!/usr/bin/env bash
# The experiment behind the default sensitivity-score weights (docs/method.md): for each model, run
# `quantune analyze --one-at-a-time --json` (the QuantuneV2 metrics and the one-layer-at-a-time
# baseline over the same calibration samples), then rank every weight vector of the grid (steps of
# 0.25, summing to 1) by its mean Spearman correlation with the baseline's ranking over the models.
# Knobs: FLAGS (quantization options, default the hard setting "--per-tensor --activations int8"),
# LIMIT (calibration samples, default 100). Also prints the cost table: the analysis (fp32 + all-int8 traces
# plus the rounding pass and the noise projections) against the one-at-a-time baseline's n + 1 inference sets, on the same samples.
source "$(dirname "$0")/cli-setup.sh"
FLAGS="${FLAGS---per-tensor --activations int8}"
LIMIT="${LIMIT:-100}"
for m in fmnist/resnet18.bn fmnist/mobilenetv2.bn fmnist/vgg16.bn fmnist/squeezenet1.1 imagenet/squeezenet1.1; do
  datasets "$m"
  # shellcheck disable=SC2086
  "$Q" analyze "$QUANTUNE_SHARED/models/$m.onnx" --calib "$cal" --limit "$LIMIT" $FLAGS --one-at-a-time --json > "$W/${m//\//_}.json"
done
python3 - "$W"/*.json <<'PY'
import json, sys
runs = {f.split('/')[-1][:-5]: json.load(open(f))['one_at_a_time'] for f in sys.argv[1:]}
names = sorted(runs)
grid = {}
for n in names:
    for g in runs[n]['grid']:
        grid.setdefault((g['weight_sqnr'], g['output_sqnr'], g['sqnr_delta'], g['mse']), {})[n] = g['spearman']
print("| weight SQNR | output SQNR | SQNR delta | MSE | mean ρ | " + " | ".join(names) + " |")
print("|---" * (5 + len(names)) + "|")
for w, r in sorted(grid.items(), key=lambda kv: -sum(kv[1].values()) / len(kv[1]))[:8]:
    print("| " + " | ".join(f"{x:.2f}" for x in w) + f" | {sum(r.values()) / len(r):.3f} | " + " | ".join(f"{r[n]:.2f}" for n in names) + " |")
print()
print("| model | layers | samples | analysis s | one-at-a-time s | ratio | Spearman (plan ranking vs one-at-a-time) |")
print("|---|---|---|---|---|---|---|")
for f in sys.argv[1:]:
    d = json.load(open(f))
    o = d['one_at_a_time']
    print(f"| {f.split('/')[-1][:-5]} | {len(d['layers'])} | {d['calibration_samples']} | {d['analysis_seconds']:.1f} | {o['seconds']:.1f} | {o['seconds'] / d['analysis_seconds']:.1f}× | {o['spearman']:.2f} |")
PY
