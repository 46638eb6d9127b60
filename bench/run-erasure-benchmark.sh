#!/usr/bin/env bash
# The erasure benchmark (docs/performance.md): one throwaway Azurite, a contact with 10,000 sealed messages
# erased by the real erasure effects, next to a plain batch-delete of the same rows. Extra arguments: --messages N.
set -euo pipefail
source "$(cd "$(dirname "$0")/.." && pwd)/scripts/lib.sh"
run_bench_on_azurite erasure "$@"
