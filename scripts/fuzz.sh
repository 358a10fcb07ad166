#!/usr/bin/env bash
# The long form of the fuzz tests (CI runs a short form of the same files with a fixed seed).
#   FLOWER_FUZZ_RUNS    property runs of the in-process fuzz (default 500)
#   FLOWER_FUZZ_FRAMES  random frames thrown at the real server (default 20000)
#   FLOWER_FUZZ_SEED    seed; a random one by default, printed so a failure can be replayed
# Extra arguments go to vitest (e.g. `npm run fuzz -- -t socket`).
set -euo pipefail
cd "$(dirname "$0")/.."

export FLOWER_FUZZ_RUNS="${FLOWER_FUZZ_RUNS:-500}"
export FLOWER_FUZZ_FRAMES="${FLOWER_FUZZ_FRAMES:-20000}"
export FLOWER_FUZZ_SEED="${FLOWER_FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}"

echo "fuzz: ${FLOWER_FUZZ_RUNS} runs, ${FLOWER_FUZZ_FRAMES} frames, seed ${FLOWER_FUZZ_SEED} (replay with FLOWER_FUZZ_SEED=${FLOWER_FUZZ_SEED})"
exec npx vitest run test/fuzz "$@"
