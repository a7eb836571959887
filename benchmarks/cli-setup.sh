# Sourced by the measurement scripts: repository root as the working folder, the shared data found
# (or a clear error), the quantune CLI built in Release as $Q, and a scratch folder $W removed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export QUANTUNE_SHARED="${QUANTUNE_SHARED:-$PWD/../shared}"
[ -d "$QUANTUNE_SHARED/models" ] || { echo "shared data not found at $QUANTUNE_SHARED (set QUANTUNE_SHARED)" >&2; exit 1; }
dotnet build src/QuantuneV2.Tool -c Release -v q -nologo > /dev/null
Q=src/QuantuneV2.Tool/bin/Release/net10.0/quantune
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# datasets MODEL: sets $cal and $tst, the calibration and evaluation specs of a shared model. Fashion-MNIST
# models calibrate on 500 train images and evaluate on the 10k test set; ImageNet SqueezeNet calibrates on
# the first 100 sample images and evaluates on the other 900 (disjoint).
datasets() {
  case $1 in
    imagenet/*) cal=samples/datasets/imagenet-samples-calib.json; tst=samples/datasets/imagenet-samples-eval.json ;;
    *) cal=samples/datasets/fashion-mnist-calib.json; tst=samples/datasets/fashion-mnist-test.json ;;
  esac
}
