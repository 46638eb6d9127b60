#!/usr/bin/env bash
# The retention sweep benchmark (docs/performance.md): one throwaway Azurite, 100,000 Messages rows kept and 20,000 due,
# the real sweeper against a plain entity-group batch-delete floor in the same run. Extra arguments: --kept N --due N.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

ensure_node_tools
DATA=$(mktemp -d "${TMPDIR:-/tmp}/retention-bench.XXXXXX")
AZURITE_PID=""
cleanup() { trap - INT TERM EXIT; stop_pid "$AZURITE_PID"; rm -rf "$DATA"; }
trap cleanup INT TERM EXIT

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
log "starting Azurite (blob :$BLOB queue :$QUEUE table :$TABLE, data in $DATA)"
start_azurite "$DATA/azurite" "$BLOB" "$QUEUE" "$TABLE" "$DATA/azurite.log"

log "building Release"
dotnet build bench/Messaging.Bench/Messaging.Bench.csproj -c Release -nologo -v q >&2
dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll retention \
  --storage "$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" "$@"
