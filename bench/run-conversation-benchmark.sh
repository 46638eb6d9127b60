#!/usr/bin/env bash
# The inbox and events-out benchmark (docs/performance.md): one throwaway Azurite, 10,000 contacts and 500,000 sealed messages,
# list/thread latency through the shared handlers, then event delivery at 300/s. Extra arguments: --contacts N --messages N --event-rate N --event-seconds N.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

ensure_node_tools
DATA=$(mktemp -d "${TMPDIR:-/tmp}/conversation-bench.XXXXXX")
AZURITE_PID=""
cleanup() { trap - INT TERM EXIT; stop_pid "$AZURITE_PID"; rm -rf "$DATA"; }
trap cleanup INT TERM EXIT

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
log "starting Azurite (blob :$BLOB queue :$QUEUE table :$TABLE, data in $DATA)"
start_azurite "$DATA/azurite" "$BLOB" "$QUEUE" "$TABLE" "$DATA/azurite.log"

log "building Release"
dotnet build bench/Messaging.Bench/Messaging.Bench.csproj -c Release -nologo -v q >&2
dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll conversations \
  --storage "$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" "$@"
