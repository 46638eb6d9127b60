#!/usr/bin/env bash
# The campaign benchmark (docs/performance.md): one throwaway Azurite; per scenario fresh tables, consented contacts,
# a campaign over the marketing segment sent through the consent gate, outbox and limiter to a fake Cloud API.
# Extra arguments: --scenarios 10000@80,100000@1000 (recipients@Meta:MessagesPerSecond) --without-consent N --withdrawn N.
set -euo pipefail
# Azurite in memory, as the other benchmarks run it: seeding 10,200 contacts took 146 s instead of 230 s (no autosave of
# the whole store every 5 s). The campaign's rate was the same either way. The heap limit is for the 100,000 scenario.
export AZURITE_IN_MEMORY="${AZURITE_IN_MEMORY:-1}"
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=8192}"
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite campaigns "$@"
