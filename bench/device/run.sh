#!/usr/bin/env bash
# Runs on a bare GPU machine (the device tool), over this worktree with `.device` carried (made here by
# `node bench/device/pack.mjs`): unpacks node, dist/, node_modules and the loader libraries, then runs
# the op suite on the webgpu backend and the training benchmark (MLP/CNN/RNN at batch 64 and 256, webgpu
# next to the CPU backends on the same machine). Logs and JSON go to $OUT (or ./device-out).
#   device run: command "bash bench/device/run.sh", carry [".device"], timeout_s 540
set -uo pipefail
cd "$(dirname "$0")/../.."
D=.device
OUT=${OUT:-$PWD/device-out}
mkdir -p "$OUT"
log() { echo "== $(date -u +%T) $*" | tee -a "$OUT/summary.txt"; }

for f in "$D"/debs/*.deb; do dpkg -x "$f" /; done
ldconfig
if [ -d /usr/local/nvidia/share/vulkan/icd.d ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
mkdir -p /tmp/deepts-bin
xz -dc "$D/node.xz" >/tmp/deepts-bin/node && chmod +x /tmp/deepts-bin/node
export PATH=/tmp/deepts-bin:$PATH
rm -rf node_modules # a link to the checkout's shared node_modules, dangling here
tar -xJf "$D/modules.tar.xz"
# The tests run the sources; the webgpu device thread then looks for its worker's JS beside its source.
cp dist/runtime/backends/webgpu/device-worker.js src/runtime/backends/webgpu/
if [ -f "$D/native.tar.xz" ]; then
  tar -xJf "$D/native.tar.xz" # the addon and the OpenBLAS it links, so native runs as the CPU reference
  export LD_LIBRARY_PATH=$PWD/.device/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

log "machine"
{ nvidia-smi -L; nproc; node -v; } 2>&1 | tee -a "$OUT/summary.txt"
log "webgpu adapter"
node --input-type=module -e '
const { create, globals } = await import("webgpu");
Object.assign(globalThis, globals);
const adapter = await create([]).requestAdapter();
console.log(adapter ? JSON.stringify(adapter.info ?? {}) : "no adapter");
' 2>&1 | tee -a "$OUT/summary.txt"

log "op suite on webgpu"
DEEPTS_TEST_BACKENDS=webgpu timeout 240 node node_modules/vitest/vitest.mjs run \
  test/runtime/webgpu-backend.test.ts test/runtime/kernels-elementwise.test.ts \
  test/runtime/kernels-matmul-conv.test.ts test/runtime/kernels-reduce-layout.test.ts \
  test/runtime/training-parity.test.ts >"$OUT/ops.log" 2>&1
echo "exit $?" >>"$OUT/ops.log"
tail -n 15 "$OUT/ops.log" | tee -a "$OUT/summary.txt"

for batch in 256 64; do
  log "training benchmark, batch $batch"
  timeout 200 node bench/models.js --batch "$batch" --backends deepts-webgpu,deepts-native,deepts-cpu,tfjs-wasm \
    --json "$OUT/models-$batch.json" >"$OUT/models-$batch.log" 2>&1
  echo "exit $?" >>"$OUT/models-$batch.log"
  grep -v '^  ' "$OUT/models-$batch.log" | tee -a "$OUT/summary.txt"
done
log "done"
