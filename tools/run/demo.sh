#!/usr/bin/env bash
# The main job: installs what it needs, builds a lab fleet (nodes, pods, Docker,
# VXLAN, one agent per node) in network namespaces, and serves the dashboard over it.
# Settings: PORT (3000), NETATLAS_ADMIN_PASSWORD (generated and printed when unset),
# NETATLAS_DEMO_PREFIX (demo). Remove the lab afterwards with the command it prints.
# NETATLAS_DEMO_SKIP_SETUP=1 leaves out tools/run/setup.sh, for a caller that has
# installed and built everything already (the dashboard's e2e demo test, run by
# tools/run/test.sh after its own setup: a second workspace build there is redundant
# and would rebuild under the tests' feet).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${NETATLAS_DEMO_SKIP_SETUP:-}" != 1 ]; then bash tools/run/setup.sh; fi

prefix=${NETATLAS_DEMO_PREFIX:-demo}
run_dir=/run/netatlas-lab/$prefix
port=${PORT:-3000}
lab=(node tools/lab/bin/netatlas-lab.js)

if "${lab[@]}" status --prefix "$prefix" >/dev/null 2>&1; then
  echo "demo: lab $prefix is already up"
else
  "${lab[@]}" up --prefix "$prefix" --docker-nodes 1
fi

agents=()
for socket in "$run_dir"/*/agent.sock; do agents+=(--agent "unix:$socket"); done

password=${NETATLAS_ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}
cat <<INFO

  netatlas dashboard: http://127.0.0.1:$port
  sign in with the admin password: $password
  the Fleet page says what to try: the lab's faults, and where each shows
  (the database is PGlite in /var/lib/netatlas/dashboard-$prefix; Ctrl-C stops the dashboard)
  remove the lab: node tools/lab/bin/netatlas-lab.js down --prefix $prefix

INFO
NETATLAS_ADMIN_PASSWORD=$password NETATLAS_DEMO_HINTS=$prefix exec node apps/dashboard/bin/netatlas-dashboard.js "${agents[@]}" \
  --token-file "$run_dir/tokens" --data-dir "/var/lib/netatlas/dashboard-$prefix" --port "$port"
