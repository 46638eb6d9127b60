#!/usr/bin/env bash
# The webhook-ack benchmark (docs/performance.md): one throwaway Azurite, a Release build, then the real
# LocalHost (processing disabled) against the floor (one bare queue put), open loop and saturated.
# Extra arguments go to the bench program, e.g. --rates 250,500 --rounds 3 --with-processing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

ensure_node_tools
DATA=$(mktemp -d "${TMPDIR:-/tmp}/ack-bench.XXXXXX")
AZURITE_PID=""
cleanup() { trap - INT TERM EXIT; stop_pid "$AZURITE_PID"; rm -rf "$DATA"; }
trap cleanup INT TERM EXIT

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
log "starting Azurite (blob :$BLOB queue :$QUEUE table :$TABLE, data in $DATA)"
start_azurite "$DATA/azurite" "$BLOB" "$QUEUE" "$TABLE" "$DATA/azurite.log"

log "building Release"
dotnet build src/LocalHost/Messaging.LocalHost.csproj -c Release -nologo -v q >&2
dotnet build bench/Messaging.Bench/Messaging.Bench.csproj -c Release -nologo -v q >&2

mkdir -p .data
dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll \
  --storage "$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" \
  --localhost-dll src/LocalHost/bin/Release/net10.0/Messaging.LocalHost.dll \
  --markdown .data/ack-benchmark.md --azurite-pid "$AZURITE_PID" \
  "$@"
