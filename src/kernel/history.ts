/** Cell history for history_request: kept in memory, optionally persisted to a small JSON file. */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output: string | null;
}

/** One row of a history_reply: `[session, line, input]` or `[session, line, [input, output]]`. */
export type HistoryRow = [number, number, string | [string, string | null]];

export interface HistoryQuery {
  hist_access_type?: string;
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

const MAX_PERSISTED = 2000;

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, "[\\s\\S]*")
    .replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${escaped}$`);
}

/**
 * History of executed cells across kernel sessions.
 *
 * ```ts
 * const h = new HistoryStore("/home/me/.local/share/jupyter/deepts/history.json");
 * await h.load();
 * h.add(1, "1+1", "2");
 * h.query({ hist_access_type: "tail", n: 10 });
 * ```
 */
export class HistoryStore {
  private entries: HistoryEntry[] = [];
  /** The current session number (one more than the last persisted one). */
  session = 1;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(private readonly file?: string) {}

  /** Reads earlier sessions; a missing or corrupt file just starts fresh. */
  async load(): Promise<void> {
    if (!this.file) return;
    try {
      const parsed = JSON.parse(await readFile(this.file, "utf8")) as { entries?: HistoryEntry[] };
      const old = Array.isArray(parsed.entries)
        ? parsed.entries.filter(
            (e) => typeof e?.session === "number" && typeof e.line === "number" && typeof e.input === "string",
          )
        : [];
      const current = this.entries;
      this.session = old.reduce((m, e) => Math.max(m, e.session), 0) + 1;
      for (const e of current) e.session = this.session;
      this.entries = [...old, ...current];
    } catch {
      // no history yet
    }
  }

  add(line: number, input: string, output: string | null): void {
    this.entries.push({ session: this.session, line, input, output });
    this.scheduleSave();
  }

  query(q: HistoryQuery): HistoryRow[] {
    let rows: HistoryEntry[];
    switch (q.hist_access_type) {
      case "range": {
        const session =
          q.session === undefined || q.session === 0
            ? this.session
            : q.session < 0
              ? this.session + q.session
              : q.session;
        const start = q.start ?? 1;
        const stop = q.stop ?? Number.POSITIVE_INFINITY;
        rows = this.entries.filter((e) => e.session === session && e.line >= start && e.line < stop);
        break;
      }
      case "search": {
        const re = globToRegExp(q.pattern ?? "*");
        rows = this.entries.filter((e) => re.test(e.input));
        if (q.unique) rows = uniqueByInput(rows);
        if (q.n !== undefined && q.n !== null) rows = rows.slice(-Math.max(0, q.n));
        break;
      }
      default: {
        rows = q.unique ? uniqueByInput(this.entries) : this.entries;
        rows = rows.slice(-Math.max(0, q.n ?? 10));
        break;
      }
    }
    return rows.map((e) => [e.session, e.line, q.output ? [e.input, e.output] : e.input]);
  }

  private scheduleSave(): void {
    if (!this.file || this.dirty) return;
    this.dirty = true;
    const file = this.file;
    this.saving = this.saving.then(async () => {
      await new Promise((r) => setTimeout(r, 200));
      this.dirty = false;
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(tmp, JSON.stringify({ entries: this.entries.slice(-MAX_PERSISTED) }));
        await rename(tmp, file);
      } catch (e) {
        process.stderr.write(`deepts: could not save history to ${file}: ${(e as Error).message}\n`);
      }
    });
  }

  /** Resolves when pending writes are done. */
  flush(): Promise<void> {
    return this.saving;
  }
}

/** Keeps the latest occurrence of each input, in chronological order. */
function uniqueByInput(rows: HistoryEntry[]): HistoryEntry[] {
  const seen = new Set<string>();
  const out: HistoryEntry[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    if (seen.has(rows[i]!.input)) continue;
    seen.add(rows[i]!.input);
    out.push(rows[i]!);
  }
  return out.reverse();
}
