#!/usr/bin/env bash
# The main job: installs what it needs, then shows this machine's container networks.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/run/setup.sh
npx --no-install netatlas-agent snapshot "$@"
