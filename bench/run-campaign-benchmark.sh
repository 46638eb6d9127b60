#!/usr/bin/env bash
# The campaign benchmark (docs/performance.md): one throwaway Azurite; per scenario fresh tables, consented contacts,
# a campaign over the marketing segment sent through the consent gate, outbox and limiter to a fake Cloud API.
# Extra arguments: --scenarios 10000@80,100000@1000 (recipients@Meta:MessagesPerSecond) --without-consent N --withdrawn N.
set -euo pipefail
# Azurite in memory: on disk its LokiJS serialises the whole table store every 5 s on its one event loop, a cost that
# grows with the rows seeded (at 10,000 recipients it took 4x the CPU per request of a 2,000 run); Table Storage has
# no such cost. The heap limit is for the 100,000 scenario.
export AZURITE_IN_MEMORY="${AZURITE_IN_MEMORY:-1}"
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=8192}"
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite campaigns "$@"
