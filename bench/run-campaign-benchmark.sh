#!/usr/bin/env bash
# The campaign benchmark (docs/performance.md): one throwaway Azurite; per scenario fresh tables, consented contacts,
# a campaign over the marketing segment sent through the consent gate, outbox and limiter to a fake Cloud API.
# Extra arguments: --scenarios 10000@80,100000@1000 (recipients@Meta:MessagesPerSecond) --without-consent N --withdrawn N.
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite campaigns "$@"
