import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setDisplaySink, TrainingPanel, trainingPanel } from "../../src/display/index.js";
import { checkMarkup, checkSvg, recordingSink } from "./helpers.js";

let sink: ReturnType<typeof recordingSink>;
beforeEach(() => {
  vi.useFakeTimers();
  sink = recordingSink();
  setDisplaySink(sink);
});
afterEach(() => {
  vi.useRealTimers();
  setDisplaySink(undefined);
});

/** Drives a panel the way TF.js's fit drives callbacks. */
function runFit(panel: TrainingPanel, epochs: number, samples: number, batchSize: number, msPerBatch: number) {
  panel.setParams({ epochs, samples, batchSize, steps: null });
  panel.onTrainBegin();
  const steps = Math.ceil(samples / batchSize);
  for (let e = 0; e < epochs; e++) {
    panel.onEpochBegin(e);
    for (let b = 0; b < steps; b++) {
      panel.onBatchBegin(b);
      vi.advanceTimersByTime(msPerBatch);
      panel.onBatchEnd(b, { batch: b, size: batchSize, loss: 1 / (1 + e * steps + b), acc: 0.5 });
    }
    panel.onEpochEnd(e, { loss: 1 / (1 + e), acc: 0.5 + e / 10, val_loss: 1.1 / (1 + e), val_acc: 0.45 + e / 10 });
  }
  panel.onTrainEnd();
}

describe("TrainingPanel", () => {
  it("shows one output, updated a few times a second, ending in the full final state", () => {
    const panel = new TrainingPanel({ title: "MNIST" });
    runFit(panel, 3, 6000, 100, 20); // 180 batches × 20 ms = 3.6 s
    const ids = new Set(sink.calls.map((c) => (c.kind === "clear" ? "" : c.id)));
    expect(ids.size).toBe(1);
    expect(sink.calls[0]!.kind).toBe("display");
    // ≤ 4/s over 3.6 s, plus the first and last.
    expect(sink.calls.length).toBeLessThanOrEqual(4 * 4 + 2);
    expect(sink.calls.length).toBeGreaterThanOrEqual(8);
    const last = sink.calls[sink.calls.length - 1]!;
    if (last.kind !== "update") throw new Error("last message should be an update");
    const html = last.data["text/html"] as string;
    checkMarkup(html, { html: true });
    expect(html).toContain("MNIST");
    expect(html).toContain("epoch 3/3");
    expect(html).toContain("100%");
    expect(html).toContain("done in 0:04");
    expect(last.data["text/plain"]).toContain("val_loss");
    const charts = [...html.matchAll(/data:image\/svg\+xml;base64,([^"]+)/g)].map((m) =>
      Buffer.from(m[1]!, "base64").toString(),
    );
    expect(charts).toHaveLength(2); // loss and acc
    for (const svg of charts) checkSvg(svg);
    expect(charts[0]).toContain(">loss<");
    expect(charts[0]).toContain(">val<");
    expect(JSON.stringify(last.data).length).toBeLessThan(200_000);
  });

  it("reports progress, ETA and throughput mid-way", () => {
    const panel = trainingPanel({ epochs: 2, steps: 10, batchSize: 32 });
    panel.onTrainBegin();
    panel.onEpochBegin(0);
    for (let b = 0; b < 5; b++) {
      vi.advanceTimersByTime(1000);
      panel.onBatchEnd(b, { loss: 0.5 });
    }
    expect(panel.progress()).toBeCloseTo(0.25);
    const bundle = panel[Symbol.for("Jupyter.display") as never] as unknown as () => Record<string, string>;
    const text = bundle.call(panel)["text/plain"]!;
    expect(text).toContain("epoch 1/2");
    expect(text).toContain("batch 5/10");
    expect(text).toContain("32 samples/s");
    expect(text).toContain("ETA 0:15");
  });

  it("takes params from onTrainBegin logs, and works in a custom loop without setParams", () => {
    const panel = trainingPanel();
    panel.onTrainBegin({ epochs: 4, samples: 100, batchSize: 10 } as never);
    expect(panel.stepsPerEpoch()).toBe(10);
    const custom = trainingPanel();
    custom.onEpochEnd(0, { loss: 1 });
    custom.onEpochEnd(1, { loss: 0.5 });
    custom.onTrainEnd();
    expect(custom.epochs.map((e) => e.logs.loss)).toEqual([1, 0.5]);
    expect(custom.chart("loss").data[0]).toMatchObject({ name: "train", y: [1, 0.5], x: [1, 2] });
  });

  it("reads tensor-valued logs", () => {
    const panel = trainingPanel({ epochs: 1 });
    panel.onEpochEnd(0, { loss: { dataSync: () => Float32Array.from([0.25]) } });
    expect(panel.epochs[0]!.logs.loss).toBe(0.25);
  });
});

describe("TrainingPanel says where training stopped", () => {
  /** A small model trained by the real `fit`, the panel as its callback (as the kernel adds it). */
  async function fitWith(panel: TrainingPanel, extra: object[], epochs = 5) {
    vi.useRealTimers();
    const tf = await import("../../src/runtime/index.js");
    const models = await import("../../src/models/index.js");
    const model = models.sequential();
    model.add(models.layers.dense({ units: 4, inputShape: [3] }));
    model.add(models.layers.dense({ units: 1 }));
    model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const xs = tf.ones([40, 3]);
    const ys = tf.ones([40, 1]);
    try {
      return await model.fit(xs, ys, { epochs, batchSize: 10, verbose: 0, callbacks: [...extra, panel] });
    } finally {
      tf.setInterruptCheck(undefined);
      tf.dispose([xs, ys]);
    }
  }
  const lastHtml = () => {
    const last = sink.calls.at(-1)!;
    if (last.kind === "clear") throw new Error("expected a display or update");
    return { html: last.data["text/html"] as string, text: last.data["text/plain"] as string };
  };

  it("an interrupt in epoch 3 of 5: 'stopped at epoch 3/5', interrupted, a red bar short of 100%", async () => {
    const tf = await import("../../src/runtime/index.js");
    const panel = new TrainingPanel();
    let batches = 0;
    const interruptAt = {
      onBatchEnd() {
        if (++batches === 10) {
          const e = new Error("Interrupted");
          e.name = "InterruptError";
          tf.setInterruptCheck(() => {
            throw e;
          });
        }
      },
    };
    await expect(fitWith(panel, [interruptAt])).rejects.toThrow("Interrupted");
    const { html, text } = lastHtml();
    expect(text).toMatch(/^Training: stopped at epoch 3\/5 · batch 2\/4 · .*interrupted after 0:0\d/);
    expect(html).toContain("stopped at epoch 3/5");
    expect(html).toContain("#d62728");
    expect(html).toContain("· 50%</div>");
    expect(html).toContain("width:50%");
    checkMarkup(html, { html: true });
  });

  it("early stopping after epoch 2 of 5: 'stopped at epoch 2/5', not 'done'", async () => {
    const panel = new TrainingPanel();
    const stopper = {
      model: undefined as { stopTraining: boolean } | undefined,
      setModel(m: { stopTraining: boolean }) {
        this.model = m;
      },
      onEpochEnd(epoch: number) {
        if (epoch === 1) this.model!.stopTraining = true;
      },
    };
    const history = await fitWith(panel, [stopper]);
    expect(history.epoch).toEqual([0, 1]);
    const { text } = lastHtml();
    expect(text).toMatch(/^Training: stopped at epoch 2\/5 · .*ran 0:0\d/);
    expect(text).not.toContain("done in");
  });
});
