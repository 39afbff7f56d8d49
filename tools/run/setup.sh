#!/usr/bin/env bash
# Installs everything netatlas needs on a fresh Debian machine with Node 20 and npm.
# Idempotent: a second run installs nothing new and only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Debian packages: iproute2/nftables/CNI plugins for the real kernel state,
# util-linux for unshare/nsenter, gcc for the benchmark's netlink-limit.c,
# busybox-static for the lab's pod processes, iptables for the CNI bridge's masquerade.
APT_PACKAGES=(iproute2 nftables containernetworking-plugins util-linux iptables busybox-static gcc make python3 g++ time docker.io chromium postgresql)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing: ${missing[*]}; run this script as root (or install them with apt-get)." >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # No service may start on the host during the install (docker.io's dockerd would
  # rewrite the host's iptables): the lab starts its own daemons inside its nodes.
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$guard"
    chmod 755 "$guard"
    trap 'rm -f "$guard"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$guard" ]; then rm -f "$guard"; trap - EXIT; fi
fi

# npm ci only when the lockfile changed since the last install.
stamp=node_modules/.netatlas-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# The in-process rtnetlink reader (an N-API addon); the agent falls back to `ip -j` without it.
addon=packages/linux/native/build/Release/netatlas_netlink.node
if [ -f packages/linux/native/binding.gyp ] && { [ ! -f "$addon" ] || [ -n "$(find packages/linux/native -maxdepth 1 -newer "$addon" -name '*.[ch]')" ]; }; then
  echo "setup: building the netlink addon"
  nodedir=()
  [ -f /usr/include/node/node_api.h ] && nodedir=(--nodedir=/usr)
  (cd packages/linux && npx --no-install node-gyp rebuild --directory native "${nodedir[@]}" --loglevel=error) \
    || echo "setup: warning: the netlink addon did not build; snapshots will use 'ip -j' (slower)" >&2
fi

echo "setup: building the workspace"
npx --no-install nx run-many -t build --output-style=static
