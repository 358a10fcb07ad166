#!/usr/bin/env bash
# The long form of the load and soak tests (CI runs a short form of the same files).
#   FLOWER_SOAK_SECONDS   how long the memory soak runs (default 300)
#   FLOWER_SOAK_TURNS     or a number of rounds instead of a duration
#   FLOWER_LOAD_PROFILES, FLOWER_LOAD_CLIENTS, FLOWER_LOAD_TURNS, FLOWER_LOAD_CHUNKS
#                         size of the concurrent-streams load test
# Extra arguments go to vitest (e.g. `npm run soak -- -t memory`).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${FLOWER_SOAK_TURNS:-}" ]]; then export FLOWER_SOAK_SECONDS="${FLOWER_SOAK_SECONDS:-300}"; fi
export FLOWER_LOAD_PROFILES="${FLOWER_LOAD_PROFILES:-16}"
export FLOWER_LOAD_CLIENTS="${FLOWER_LOAD_CLIENTS:-4}"
export FLOWER_LOAD_TURNS="${FLOWER_LOAD_TURNS:-10}"
export FLOWER_LOAD_CHUNKS="${FLOWER_LOAD_CHUNKS:-200}"

echo "soak: ${FLOWER_SOAK_SECONDS:+${FLOWER_SOAK_SECONDS} s}${FLOWER_SOAK_TURNS:+${FLOWER_SOAK_TURNS} rounds};" \
  "load: ${FLOWER_LOAD_PROFILES} profiles x ${FLOWER_LOAD_CLIENTS} clients x ${FLOWER_LOAD_TURNS} turns x ${FLOWER_LOAD_CHUNKS} chunks"
exec npx vitest run test/soak "$@"
