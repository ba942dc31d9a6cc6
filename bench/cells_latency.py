"""Per-cell latency through jupyter_client, as a frontend sees it: each figure is from sending
execute_request to the kernel's `idle` for it. For each kernel (the deepts kernelspec and ipykernel
running PyTorch) in a fresh kernel: start -> first `1+1` result, the `1+1` round trip, and a small
training cell (build a two-layer model, fit one epoch on two small random tensors, predict).
Prints one JSON object: {kernel: {"first": ms, "trip": [ms...], "cell": [ms...]} | {"error": ...}}.
Usage: python cells_latency.py TRIPS CELLS KERNEL... (JUPYTER_PATH must find both kernelspecs)
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

CELLS = {
    "deepts": """const model = tf.sequential({
  layers: [tf.layers.dense({ units: 16, activation: "relu", inputShape: [8] }), tf.layers.dense({ units: 1 })],
});
model.compile({ optimizer: "adam", loss: "meanSquaredError" });
const xs = tf.randomNormal([32, 8]);
const ys = tf.randomNormal([32, 1]);
await model.fit(xs, ys, { epochs: 1, batchSize: 32, verbose: 0 });
(model.predict(xs) as tf.Tensor).shape""",
    "torch-python": """model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters())
xs, ys = torch.randn(32, 8), torch.randn(32, 1)
optimizer.zero_grad()
torch.nn.functional.mse_loss(model(xs), ys).backward()
optimizer.step()
with torch.no_grad():
    p = model(xs)
tuple(p.shape)""",
}
# Imports a Python user runs once before such cells (not timed per cell).
SETUP = {"deepts": "1", "torch-python": "import torch\ntorch.set_num_threads(1)"}


def execute(kc, code):
    """Sends code, waits for its idle; returns (ms, execute_result text or None, error or None)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    text = error = None
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        kind = m["msg_type"]
        if kind == "execute_result":
            text = m["content"]["data"].get("text/plain")
        elif kind == "error":
            error = f"{m['content']['ename']}: {m['content']['evalue']}"
        elif kind == "status" and m["content"]["execution_state"] == "idle":
            return (time.perf_counter() - t0) * 1000, text, error


def measure(kernel, trips, cells):
    km = KernelManager(kernel_name=kernel)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        _, text, error = execute(kc, "1+1")
        first = (time.perf_counter() - t0) * 1000
        if error or text != "2":
            raise RuntimeError(f"1+1 gave {text!r} {error or ''}")
        execute(kc, SETUP[kernel])
        trip = [execute(kc, "1+1")[0] for _ in range(trips)]
        times = []
        for _ in range(cells):
            ms, text, error = execute(kc, CELLS[kernel])
            if error:
                raise RuntimeError(f"small cell failed: {error}")
            times.append(ms)
        return {"first": first, "trip": trip, "cell": times, "cellResult": text}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


trips, cells = int(sys.argv[1]), int(sys.argv[2])
out = {}
for kernel in sys.argv[3:]:
    try:
        out[kernel] = measure(kernel, trips, cells)
    except Exception as e:  # a kernel that is missing or fails is reported, the other still measured
        out[kernel] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(out))
