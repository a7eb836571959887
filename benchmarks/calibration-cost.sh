#!/usr/bin/env bash
# Calibration cost per sample of each method next to one fp32 inference, one thread each (docs/accuracy.md,
# "Calibration cost"). Run on an idle machine. Knobs: MODELS (default: fmnist/resnet18.bn imagenet/squeezenet1.1),
# METHODS (default: all four).
source "$(dirname "$0")/cli-setup.sh"
MODELS="${MODELS:-fmnist/resnet18.bn imagenet/squeezenet1.1}"
METHODS="${METHODS:-minmax percentile entropy moving-average}"
echo "| model | method | calibration samples | calibration ms/sample | fp32 inference ms/sample | ratio |"
echo "|---|---|---|---|---|---|"
for m in $MODELS; do
  datasets "$m"
  "$Q" eval "$QUANTUNE_SHARED/models/$m.onnx" --data "$cal" --threads 1 --json > "$W/e.json"
  for method in $METHODS; do
    "$Q" quantize "$QUANTUNE_SHARED/models/$m.onnx" --calib "$cal" --method "$method" --threads 1 --fp32-layers none -o "$W/plan.json" --json > "$W/q.json"
    python3 - "$W/q.json" "$W/e.json" "$m" "$method" <<'PY'
import json, sys
q, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
calib, fp32 = 1000 * q['calibration_seconds_per_sample'], 1000 / e['samples_per_second']
print(f"| {sys.argv[3]} | {sys.argv[4]} | {q['calibration_samples']} | {calib:.2f} | {fp32:.2f} | {calib / fp32:.2f} |")
PY
  done
done
