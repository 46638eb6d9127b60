#!/usr/bin/env bash
# The erasure benchmark (docs/performance.md): one throwaway Azurite, a contact with 10,000 sealed messages (half
# inbound, half sends with their outbox and wamid index rows) erased by the real erasure effects, next to plain
# deletes of the same rows, in alternating order on freshly
# seeded tables of the same shape. Extra arguments: --messages N (default 10000), --rounds R (default 2: F E E F),
# --audience N (other contacts' campaign rows, which the erasure's campaign step scans; default 0),
# --index-layout new|old (the wamid index as written now, or one partition per send as before; default new).
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite erasure "$@"
