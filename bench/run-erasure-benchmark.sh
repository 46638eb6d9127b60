#!/usr/bin/env bash
# The erasure benchmark (docs/performance.md): one throwaway Azurite, a contact with 10,000 sealed messages
# erased by the real erasure effects, next to a plain batch-delete of the same rows, in alternating order on freshly
# seeded tables of the same shape. Extra arguments: --messages N (default 10000), --rounds R (default 2: F E E F),
# --audience N (other contacts' campaign rows, which the erasure's campaign step scans; default 0).
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite erasure "$@"
