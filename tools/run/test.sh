#!/usr/bin/env bash
# Runs every check and test of netatlas. Installs what it needs first (tools/run/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/run/setup.sh
npx --no-install nx run-many -t typecheck lint --output-style=static
# One vitest run over all projects: one summary line at the end.
npx --no-install vitest run
