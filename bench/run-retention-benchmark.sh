#!/usr/bin/env bash
# The retention sweep benchmark (docs/performance.md): one throwaway Azurite, 100,000 Messages rows kept and 20,000 due,
# the real sweeper against a plain entity-group batch-delete floor in the same run. Extra arguments: --kept N --due N.
set -euo pipefail
# In memory: on disk, Azurite serialises its whole database every few seconds and stalls every request meanwhile, a cost
# that grows with the rows kept and lands on whichever phase is running; Azure Table Storage has nothing like it.
export AZURITE_IN_MEMORY="${AZURITE_IN_MEMORY:-1}"
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite retention "$@"
