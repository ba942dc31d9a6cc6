/**
 * How the outcome of a check, a hint or a solution shows in the notebook: a coloured box in HTML,
 * the same words in plain text (what `deepts run`, terminals and tests read).
 */
import type { MimeBundle } from "../display/index.js";
import { escapeXml } from "../display/markup.js";

const DISPLAY = Symbol.for("Jupyter.display");

export type Status = "passed" | "failed" | "todo";

/** The part of an exercise a result needs to describe itself. */
interface Named {
  name: string;
  notebook: string;
  task: string;
}

const LOOK: Record<Status, { mark: string; word: string; border: string; background: string }> = {
  passed: { mark: "✓", word: "passed", border: "#2e7d32", background: "#edf7ed" },
  failed: { mark: "✗", word: "not yet right", border: "#c62828", background: "#fdecea" },
  todo: { mark: "✎", word: "not done yet", border: "#9e9e9e", background: "#f5f5f5" },
};

/** Turns `code` spans (backticks) into <code> elements; everything else is escaped. */
function inlineHtml(text: string): string {
  return text
    .split("`")
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeXml(part)}</code>` : escapeXml(part)))
    .join("");
}

function box(border: string, background: string, html: string): string {
  return (
    `<div style="border-left:4px solid ${border};background:${background};padding:6px 12px;margin:2px 0;` +
    `font-family:system-ui,sans-serif;font-size:14px;line-height:1.45">${html}</div>`
  );
}

/**
 * The outcome of `check.<exercise>(answer)`: `passed`, `failed` (with the first problem found) or
 * `todo` (the stub is still there). Displays as a coloured box; `passed` tells it in code.
 */
export class CheckResult {
  constructor(
    readonly exercise: Named,
    readonly status: Status,
    /** What was checked (passed) or what is wrong (failed); empty for todo. */
    readonly message: string,
  ) {}

  get passed(): boolean {
    return this.status === "passed";
  }

  /** The next step the student can take, as one line. */
  private nextStep(): string {
    const name = this.exercise.name;
    if (this.status === "passed") return "";
    if (this.status === "todo")
      return `Replace \`check.todo()\` with your code and run the cell again. Stuck? \`check.hint("${name}")\`.`;
    return `A hint: \`check.hint("${name}")\`; the answer: \`check.solution("${name}")\`.`;
  }

  toString(): string {
    const look = LOOK[this.status];
    const first = `${look.mark} ${this.exercise.name}: ${look.word}${this.message ? ` — ${this.message}` : "."}`;
    const next = this.nextStep().replace(/`/g, "");
    return next ? `${first}\n  ${next}` : first;
  }

  [DISPLAY](): MimeBundle {
    const look = LOOK[this.status];
    const head = `<b>${look.mark} ${escapeXml(this.exercise.name)}</b>: ${look.word}`;
    const body = this.message
      ? ` — ${inlineHtml(this.message)}`
      : ` <span style="color:#555">(${inlineHtml(this.exercise.task)})</span>`;
    const next = this.nextStep();
    const html = head + body + (next ? `<br><span style="color:#444">${inlineHtml(next)}</span>` : "");
    return { "text/plain": this.toString(), "text/html": box(look.border, look.background, html) };
  }
}

/** A hint, a solution or a progress table: markdown, shown as such in the notebook. */
export class Note {
  constructor(
    readonly markdown: string,
    readonly plain: string = markdown,
  ) {}

  toString(): string {
    return this.plain;
  }

  [DISPLAY](): MimeBundle {
    return { "text/plain": this.plain, "text/markdown": this.markdown };
  }
}
