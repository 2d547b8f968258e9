#!/usr/bin/env bash
# GPU check of the runtime, for a machine with a GPU and no registry (run from the repo root after
# carrying bench/out/gpu-carry, made by bench/gpu-pack.sh). Also runs on a CPU-only machine, where
# the GPU providers must fall back cleanly. Prints: providers compiled in, what each provider does
# with a transformer and a conv net through `model-lens run` (dist/cli.js), latencies, and the
# CPU-vs-GPU output difference.
#   bench/gpu-check.sh [RUNS]
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"
CARRY="${CARRY:-bench/out/gpu-carry}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Node: the machine's if ≥ 20, else the carried Node 24.
if command -v node >/dev/null 2>&1 && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  NODE="$(command -v node)"
elif [ -f "$CARRY/node.tar.xz" ]; then
  mkdir -p "$WORK/node" && tar -C "$WORK/node" -xJf "$CARRY/node.tar.xz" && NODE="$WORK/node/bin/node"
else
  echo "no Node ≥ 20 here and no $CARRY/node.tar.xz: run bench/gpu-pack.sh and carry $CARRY"; exit 1
fi
echo "node $("$NODE" --version) ($NODE)"

# onnxruntime-node and the built CLI, unless this checkout already has them.
[ -f node_modules/onnxruntime-node/package.json ] || tar -xJf "$CARRY/ort.tar.xz"
[ -f dist/cli.js ] && [ -f dist/runtime-process.js ] || tar -xJf "$CARRY/dist.tar.xz"
BIN=node_modules/onnxruntime-node/bin/napi-v6/linux/x64

# CUDA: onnxruntime-node does not bundle its CUDA provider; Python's onnxruntime-gpu of the same
# version ships the same provider libraries. Copy them next to libonnxruntime.so.1 and put the
# NVIDIA wheels' libraries (cudart, cublas, cudnn…) on the loader path.
ORT_NODE_VERSION="$("$NODE" -p "require('./node_modules/onnxruntime-node/package.json').version")"
if [ ! -f "$BIN/libonnxruntime_providers_cuda.so" ] && command -v python3 >/dev/null 2>&1; then
  read -r PY_ORT_VERSION CAPI < <(python3 -c 'import onnxruntime as o, os; print(o.__version__, os.path.join(os.path.dirname(o.__file__), "capi"))' 2>/dev/null || echo "- -")
  if [ -f "$CAPI/libonnxruntime_providers_cuda.so" ]; then
    echo "cuda: using provider libraries of Python onnxruntime $PY_ORT_VERSION ($CAPI); onnxruntime-node is $ORT_NODE_VERSION"
    [ "$PY_ORT_VERSION" = "$ORT_NODE_VERSION" ] || echo "cuda: warning: versions differ; the provider may refuse to load"
    cp "$CAPI/libonnxruntime_providers_cuda.so" "$CAPI/libonnxruntime_providers_shared.so" "$BIN/"
    NV_LIBS="$(python3 -c 'import nvidia, os, glob; print(":".join(sorted({os.path.dirname(p) for d in nvidia.__path__ for p in glob.glob(os.path.join(d, "*", "lib", "*.so*"))})))' 2>/dev/null || true)"
    [ -n "$NV_LIBS" ] && export LD_LIBRARY_PATH="$NV_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    echo "cuda: no CUDA provider libraries found (Python onnxruntime-gpu not installed); cuda will fall back"
  fi
fi

echo "--- machine"
(nvidia-smi -L 2>/dev/null || echo "no nvidia-smi") | head -4
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | tr '\n' ' '; echo
ldconfig -p 2>/dev/null | grep -q libvulkan.so.1 && echo "libvulkan.so.1: present" || echo "libvulkan.so.1: absent (WebGPU cannot start)"
echo "--- providers compiled into onnxruntime-node $ORT_NODE_VERSION"
"$NODE" -e "console.log(require('./node_modules/onnxruntime-node').listSupportedBackends().map((b) => b.name + (b.bundled ? '' : ' (not bundled)')).join(', '))"

# Models: transformers made here (small, and one with bigger matrices for a GPU to matter), conv net.
MODELS=()
GEN="$CARRY/models/gen-onnx.mjs"; [ -f "$GEN" ] || GEN=../shared/bench/gen-onnx.mjs
if [ -f "$GEN" ]; then
  "$NODE" "$GEN" transformer --layers 20 --hidden 64 --out "$WORK/transformer-20x64.onnx" >/dev/null && MODELS+=("$WORK/transformer-20x64.onnx")
  "$NODE" "$GEN" transformer --layers 12 --hidden 512 --out "$WORK/transformer-12x512.onnx" >/dev/null && MODELS+=("$WORK/transformer-12x512.onnx")
fi
CONV="$CARRY/models/convnet.onnx"
[ -f "$CONV" ] && MODELS+=("$CONV")
[ ${#MODELS[@]} -gt 0 ] || { echo "no models: run bench/gpu-pack.sh first"; exit 1; }

summarize() { # file.json label
  "$NODE" -e '
    const [file, label] = process.argv.slice(1);
    const d = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const l = d.latencyMs, f = (x) => x.toFixed(3);
    let line = `${label.padEnd(7)} ran on ${d.provider.padEnd(6)} p50 ${f(l.p50)} ms  min ${f(l.min)}  p90 ${f(l.p90)}  load ${f(d.loadMs)} ms`;
    if (d.fallbackReason) line += `\n          passed over: ${d.fallbackReason}`;
    for (const c of d.comparison ? d.comparison.outputs : []) line += `\n          vs ${d.comparison.provider}: ${c.name} max abs diff ${c.maxAbsDiff.toExponential(2)}, max rel ${c.maxRelDiff.toExponential(2)}, cosine ${c.cosine.toFixed(6)}`;
    console.log(line);' "$1" "$2"
}

for m in "${MODELS[@]}"; do
  echo "--- $(basename "$m")"
  for p in cpu webgpu cuda auto; do
    extra=(); [ "$p" != cpu ] && extra=(--compare cpu)
    if "$NODE" dist/cli.js run "$m" --provider "$p" --runs "$RUNS" --warmup 5 --seed 1 --json "${extra[@]}" > "$WORK/out.json" 2> "$WORK/err.txt"; then
      summarize "$WORK/out.json" "$p"
    else
      echo "$(printf '%-7s' "$p") not available: $(tail -1 "$WORK/err.txt")"
    fi
  done
done
