#!/usr/bin/env bash
# The mixed-precision comparison tables of docs/method.md: for each model, which k layers (or blocks) a
# ranking keeps fp32, and what that does to the fp32 agreement, output SQNR and top-1 of the int8 model
# (`quantune eval --plan --json`, integer reference executor). Rankings: QuantuneV2 with the boundary-aware
# noise model (default) and with the paper's score ordering, the one-at-a-time baseline, position, random
# (seeds 1–3), and all-int8 as the reference. Prints one markdown row per plan. Knobs (environment):
#   MODELS  shared models (default: the five below)
#   FLAGS   quantization options (default the hard setting "--per-tensor --activations int8")
#   K       fp32 layers per plan (default 3);  BLOCK_K  fp32 blocks in block mode (default 1, 0 = skip)
#   LIMIT   evaluate on the first LIMIT samples (default: all)
#   ONLY    run only the plans whose label contains this text, e.g. "boundary-aware" (default: all)
# Data as in accuracy.sh: Fashion-MNIST calibrates on 500 train images and evaluates on the test set,
# ImageNet SqueezeNet calibrates on the first 100 sample images and evaluates on the other 900.
source "$(dirname "$0")/cli-setup.sh"
MODELS="${MODELS:-imagenet/squeezenet1.1 fmnist/resnet18.bn fmnist/mobilenetv2.bn fmnist/vgg16.bn fmnist/squeezenet1.1}"
FLAGS="${FLAGS---per-tensor --activations int8}"
K="${K:-3}"; BLOCK_K="${BLOCK_K:-1}"

echo "| model | ranking | fp32 | eval images | boundaries | predicted SQNR dB | agreement | SQNR dB | top-1 | fp32 layers |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for m in $MODELS; do
  datasets "$m"
  run() { # run LABEL FP32 QUANTIZE-OPTIONS...
    local label=$1 fp32=$2; shift 2
    [[ -z "${ONLY:-}" || "$label" == *"$ONLY"* ]] || return 0
    # shellcheck disable=SC2086
    "$Q" quantize "$QUANTUNE_SHARED/models/$m.onnx" --calib "$cal" $FLAGS "$@" -o "$W/plan.json" --json > "$W/q.json"
    "$Q" eval "$QUANTUNE_SHARED/models/$m.onnx" --plan "$W/plan.json" --data "$tst" ${LIMIT:+--limit "$LIMIT"} --json > "$W/e.json"
    python3 - "$W/q.json" "$W/e.json" "$m" "$label" "$fp32" <<'PY'
import json, sys
q, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
m, label, fp32 = sys.argv[3:6]
pred = q.get('predicted_sqnr_db')
print(f"| {m} | {label} | {fp32} | {e['count']} | {q['boundaries']} | {'' if pred is None else f'{pred:.2f}'} | {e['agreement']:.4f} | {e['sqnr_db']:.2f} | {e['top1']:.4f} | {', '.join(q['fp32_layers'])} |")
PY
  }
  run all-int8 0 --fp32-layers none
  run "QuantuneV2 (boundary-aware)" "$K layers" --fp32-layers "$K"
  run "QuantuneV2 (score)" "$K layers" --fp32-layers "$K" --selection score
  run one-at-a-time "$K layers" --fp32-layers "$K" --baseline one-at-a-time
  run position "$K layers" --fp32-layers "$K" --baseline position
  for s in 1 2 3; do run "random (seed $s)" "$K layers" --fp32-layers "$K" --baseline random --seed "$s"; done
  if [ "$BLOCK_K" != 0 ]; then
    run "QuantuneV2 (boundary-aware)" "$BLOCK_K block" --fp32-layers "$BLOCK_K" --block-mode
    run "QuantuneV2 (score)" "$BLOCK_K block" --fp32-layers "$BLOCK_K" --block-mode --selection score
  fi
done
