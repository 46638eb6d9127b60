#!/usr/bin/env bash
# The inbound processing benchmark (docs/performance.md): one throwaway Azurite, a Release build, then the real
# LocalHost against a fake Cloud API hosted by the benchmark: the Azurite insert floor, processing throughput for
# returning customers, ack latency and processing lag at 100 webhooks/s while processing runs, and the crash trial
# (SIGKILL twice, full redelivery) repeated, and Azurite frozen or stopped for 10 s under load. Extra arguments go to
# the bench program, e.g.
#   --crash-trials 3 --only throughput,ack     (phases: throughput, ack, crash, outage; and fuzz, not by default)
#   --only fuzz --fuzz-bodies 100000           (the long fuzz run; --fuzz-from N runs bodies N.. to make it in pieces)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

ensure_node_tools
DATA=$(mktemp -d "${TMPDIR:-/tmp}/processing-bench.XXXXXX")
AZURITE_PID=""
RESTARTED="${TMPDIR:-/tmp}/processing-bench-azurite.pid"
rm -f "$RESTARTED"
# The outage trial and the long fuzz run restart Azurite; they leave the new process id behind.
cleanup() {
  trap - INT TERM EXIT
  stop_pid "$AZURITE_PID"
  if [ -f "$RESTARTED" ]; then stop_pid "$(cat "$RESTARTED")"; rm -f "$RESTARTED"; fi
  rm -rf "$DATA" "${TMPDIR:-/tmp}"/processing-bench-azurite*
}
trap cleanup INT TERM EXIT

BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
log "starting Azurite (blob :$BLOB queue :$QUEUE table :$TABLE, data in $DATA)"
start_azurite "$DATA/azurite" "$BLOB" "$QUEUE" "$TABLE" "$DATA/azurite.log"

log "building Release"
dotnet build src/LocalHost/Messaging.LocalHost.csproj -c Release -nologo -v q >&2
dotnet build bench/Messaging.Bench/Messaging.Bench.csproj -c Release -nologo -v q >&2

mkdir -p .data
dotnet bench/Messaging.Bench/bin/Release/net10.0/Messaging.Bench.dll processing \
  --storage "$(azurite_connection_string "$BLOB" "$QUEUE" "$TABLE")" \
  --localhost-dll src/LocalHost/bin/Release/net10.0/Messaging.LocalHost.dll \
  --markdown .data/processing-benchmark.md --azurite-pid "$AZURITE_PID" \
  "$@"
