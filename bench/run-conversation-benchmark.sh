#!/usr/bin/env bash
# The inbox and events-out benchmark (docs/performance.md): one throwaway Azurite, 10,000 contacts and 500,000 sealed messages,
# list/thread latency through the shared handlers, then event delivery at 300/s. Extra arguments: --contacts N --messages N
# --event-rate N --event-seconds N --event-writers N --seed-parallelism N; --events-only skips the seed and the reads
# (events out on empty stores, with table/queue requests and CPU per event: the cheap run on a busy machine).
set -euo pipefail
# In memory: on disk, Azurite serialises its whole database every 5 s on the event loop (half a gigabyte of JSON at the
# full seed) and answers nothing meanwhile; that is what stopped the full-size seed. The larger heap keeps 500,000 rows
# clear of the garbage collector's limit (the three services inherit NODE_OPTIONS).
export AZURITE_IN_MEMORY="${AZURITE_IN_MEMORY:-1}"
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=8192}"
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite conversations "$@"
