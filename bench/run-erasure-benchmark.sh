#!/usr/bin/env bash
# The erasure benchmark (docs/performance.md): one throwaway Azurite, a contact with 10,000 sealed messages
# erased by the real erasure effects, next to a plain batch-delete of the same rows. Extra arguments: --messages N.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

ensure_node_tools
DATA=$(mktemp -d "${TMPDIR:-/tmp}/erasure-bench.XXXXXX")
AZURITE_PID=""
cleanup() { trap - INT TERM EXIT; stop_pid "$AZURITE_PID"; rm -rf "$DATA"; }
trap cleanup INT TERM EXIT

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
log "starting Azurite (blob :$BLOB queue :$QUEUE table :$TABLE, data in $DATA)"
start_azurite "$DATA/azurite" "$BLOB" "$QUEUE" "$TABLE" "$DATA/azurite.log"

log "building Release"
dotnet build bench/Messaging.Bench/Messaging.Bench.csproj -c Release -nologo -v q >&2
dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll erasure \
  --storage "$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" "$@"
