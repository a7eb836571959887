#!/usr/bin/env bash
# The all-int8 accuracy tables of docs/accuracy.md, measured with the quantune CLI:
# for each model × calibration method × weight granularity × activation type, `quantune quantize`
# (--fp32-layers none) then `quantune eval --plan --json` (integer reference executor vs fp32).
# Prints one markdown table row per run. Knobs (environment):
#   MODELS    shared models, e.g. "fmnist/resnet18.bn imagenet/squeezenet1.1" (default: the five below)
#   METHODS   default "minmax percentile entropy moving-average"
#   SETTINGS  default "channel:uint8 channel:int8 tensor:uint8 tensor:int8"
#   LIMIT     evaluate on the first LIMIT samples of the eval set (default: all)
# Fashion-MNIST models calibrate on samples/datasets/fashion-mnist-calib.json (500 images) and evaluate
# on the 10k test set; ImageNet SqueezeNet calibrates on the first 100 sample images and evaluates on the
# other 900 (imagenet-samples-calib.json / -eval.json).
source "$(dirname "$0")/cli-setup.sh"
MODELS="${MODELS:-fmnist/resnet18.bn fmnist/mobilenetv2.bn fmnist/vgg16.bn fmnist/squeezenet1.1 imagenet/squeezenet1.1}"
METHODS="${METHODS:-minmax percentile entropy moving-average}"
SETTINGS="${SETTINGS:-channel:uint8 channel:int8 tensor:uint8 tensor:int8}"

echo "| model | method | weights | activations | eval images | fp32 top-1 | int8 top-1 | Δ points | agreement | SQNR dB | calib ms/sample | fp32 ms/sample |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for m in $MODELS; do
  datasets "$m"
  for method in $METHODS; do
    for s in $SETTINGS; do
      weights=${s%%:*}; act=${s##*:}
      flags=(--method "$method" --activations "$act"); [ "$weights" = tensor ] && flags+=(--per-tensor)
      "$Q" quantize "$QUANTUNE_SHARED/models/$m.onnx" --calib "$cal" "${flags[@]}" --fp32-layers none -o "$W/plan.json" --json > "$W/q.json"
      "$Q" eval "$QUANTUNE_SHARED/models/$m.onnx" --plan "$W/plan.json" --data "$tst" ${LIMIT:+--limit "$LIMIT"} --json > "$W/e.json"
      python3 - "$W/q.json" "$W/e.json" "$m" "$method" "$weights" "$act" <<'PY'
import json, sys
q, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
m, method, weights, act = sys.argv[3:7]
print(f"| {m} | {method} | per-{weights} | {act} | {e['count']} | {e['fp32_top1']:.4f} | {e['top1']:.4f} | {100 * (e['top1'] - e['fp32_top1']):+.2f} | {e['agreement']:.4f} | {e['sqnr_db']:.2f} | {1000 * q['calibration_seconds_per_sample']:.2f} | {1000 / e['fp32_samples_per_second']:.2f} |")
PY
    done
  done
done
