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
