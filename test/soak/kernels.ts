/**
 * The kernels a soak compares: deepts, and ipykernel with PyTorch (Debian's python3-torch) as the
 * reference, each with the same student programs written in its own language.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { TestKernel } from "../kernel/client.js";

export interface SoakKernel {
  name: string;
  start(): Promise<TestKernel>;
  /** Run once after start (imports, plotting backend). */
  setup: string;
  /** An expression whose value is the number of live tensors. */
  tensorCount: string;
  /** Builds, fits and predicts a small model, re-using the same names, disposing nothing. */
  modelCell: string;
  /** Shows a 200-point line chart. */
  chartCell: string;
}

export const deepts: SoakKernel = {
  name: "deepts",
  start: () => TestKernel.start(),
  setup: "1",
  tensorCount: "tf.memory().numTensors",
  modelCell: `const xs = tf.randomNormal([64, 8]);
const ys = tf.randomNormal([64, 1]);
const model = tf.sequential();
model.add(tf.layers.dense({ units: 16, activation: "relu", inputShape: [8] }));
model.add(tf.layers.dense({ units: 1 }));
model.compile({ optimizer: "adam", loss: "meanSquaredError" });
await model.fit(xs, ys, { epochs: 2, batchSize: 32 });
const pred = model.predict(xs) as tf.Tensor;
pred.shape`,
  chartCell: "plot.line(Array.from({ length: 200 }, (_, i) => Math.sin(i / 10)))",
};

const PYTHON = "/usr/bin/python3";

/** Why the PyTorch reference cannot run here, or undefined when it can. */
export function pytorchMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const probe = spawnSync(PYTHON, ["-c", "import torch, ipykernel, matplotlib, numpy"], { encoding: "utf8" });
  return probe.status === 0
    ? undefined
    : `Debian's python3 lacks torch, ipykernel or matplotlib (apt: python3-torch python3-ipykernel python3-matplotlib): ${probe.stderr.trim().split("\n").pop()}`;
}

export const ipykernelTorch: SoakKernel = {
  name: "ipykernel + PyTorch",
  start: () => TestKernel.start({ argv: [PYTHON, "-m", "ipykernel_launcher", "-f", "{cf}"] }),
  setup: `import gc, torch, numpy as np, matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
torch.manual_seed(0)
def live_tensors():
    return sum(1 for o in gc.get_objects() if torch.is_tensor(o))`,
  tensorCount: "live_tensors()",
  modelCell: `xs = torch.randn(64, 8)
ys = torch.randn(64, 1)
model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters())
for epoch in range(2):
    for i in range(0, 64, 32):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xs[i:i + 32]), ys[i:i + 32])
        loss.backward()
        opt.step()
pred = model(xs)
pred.shape`,
  chartCell: "plt.plot(np.sin(np.arange(200) / 10))\nplt.show()",
};
