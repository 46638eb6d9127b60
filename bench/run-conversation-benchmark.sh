#!/usr/bin/env bash
# The inbox and events-out benchmark (docs/performance.md): one throwaway Azurite, 10,000 contacts and 500,000 sealed messages,
# list/thread latency through the shared handlers, then event delivery at 300/s. Extra arguments: --contacts N --messages N --event-rate N --event-seconds N.
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite conversations "$@"
