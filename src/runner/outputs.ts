/** Turning a cell's iopub messages into the outputs Jupyter stores in a notebook. */
import type { JupyterMessage } from "../wire/message.js";
import { joinText, type MimeBundle, type Output } from "./nbformat.js";

type DisplayOutput = Extract<Output, { data: MimeBundle }>;

/**
 * Collects outputs the way Jupyter front ends store them: consecutive stream messages of one name
 * merge into one output; `update_display_data` replaces the data of every earlier output with that
 * `display_id` (in any cell of the notebook) in place; `clear_output` empties the cell now, or with
 * `wait` just before the next output arrives; `transient` is never stored.
 *
 * ```ts
 * const outputs = new OutputCollector();
 * const cellOutputs: Output[] = [];
 * outputs.startCell(cellOutputs);
 * client.onIopub((m) => m.parent_header.msg_id === id && outputs.handle(m));
 * ```
 */
export class OutputCollector {
  private readonly byDisplayId = new Map<string, DisplayOutput[]>();
  private current: Output[] = [];
  private clearOnNextOutput = false;

  /** Starts collecting into `outputs` (a cell's output list, emptied first). */
  startCell(outputs: Output[]): void {
    this.forget(outputs.splice(0));
    this.current = outputs;
    this.clearOnNextOutput = false;
  }

  /** Handles one iopub message of the running cell; returns the output it added, if any. */
  handle(message: JupyterMessage): Output | undefined {
    const c = message.content as Record<string, unknown>;
    switch (message.header.msg_type) {
      case "stream":
        return this.addStream(String(c.name ?? "stdout"), String(c.text ?? ""));
      case "display_data":
        return this.addDisplay(
          { output_type: "display_data", data: bundle(c.data), metadata: bundle(c.metadata) },
          displayIdOf(c),
        );
      case "execute_result":
        return this.addDisplay(
          {
            output_type: "execute_result",
            execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
            data: bundle(c.data),
            metadata: bundle(c.metadata),
          },
          displayIdOf(c),
        );
      case "error":
        return this.add({
          output_type: "error",
          ename: String(c.ename ?? "Error"),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
      case "update_display_data": {
        const id = displayIdOf(c);
        for (const output of (id && this.byDisplayId.get(id)) || []) {
          output.data = bundle(c.data);
          output.metadata = bundle(c.metadata);
        }
        return undefined;
      }
      case "clear_output":
        if (c.wait === true) this.clearOnNextOutput = true;
        else this.clearNow();
        return undefined;
      default:
        return undefined;
    }
  }

  private clearNow(): void {
    this.clearOnNextOutput = false;
    this.forget(this.current.splice(0));
  }

  private forget(outputs: Output[]): void {
    for (const [id, list] of this.byDisplayId) {
      const kept = list.filter((o) => !outputs.includes(o));
      if (kept.length) this.byDisplayId.set(id, kept);
      else this.byDisplayId.delete(id);
    }
  }

  private add(output: Output): Output {
    if (this.clearOnNextOutput) this.clearNow();
    this.current.push(output);
    return output;
  }

  private addStream(name: string, text: string): Output {
    if (this.clearOnNextOutput) this.clearNow();
    const last = this.current[this.current.length - 1];
    if (last?.output_type === "stream" && last.name === name) {
      last.text = joinText(last.text) + text;
      return last;
    }
    return this.add({ output_type: "stream", name, text });
  }

  private addDisplay(output: DisplayOutput, displayId: string | undefined): Output {
    this.add(output);
    if (displayId) {
      const list = this.byDisplayId.get(displayId) ?? [];
      list.push(output);
      this.byDisplayId.set(displayId, list);
    }
    return output;
  }
}

function bundle(value: unknown): MimeBundle {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? { ...(value as MimeBundle) } : {};
}

function displayIdOf(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}
