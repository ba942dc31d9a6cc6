/**
 * Byte sources for `tf.data.csv` and text datasets: local files (`file://` paths, or plain paths
 * relative to the working directory, which in the kernel is the notebook's folder) and bytes in
 * memory. deepts does not download: `http(s)` URLs fail with an error saying so.
 */
import { open, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Dataset } from "./dataset.js";
import { DONE, LazyIterator } from "./lazy-iterator.js";

const DEFAULT_CHUNK_BYTES = 1 << 16;

export interface FileChunkIteratorOptions {
  /** Bytes read per chunk (default 64 KiB). */
  chunkSize?: number;
}

/**
 * The local file path a source names: `file://` + path (TF.js's form: `file://./data.csv` is
 * relative, `file:///abs/data.csv` absolute), a `file:` URL object, or a plain path, relative to
 * the current directory.
 */
export function localPath(source: string | URL, what = "tf.data.csv"): string {
  const text = source instanceof URL ? source.href : source;
  if (typeof text !== "string" || text === "") throw new Error(`${what}: expected a file path or file:// URL`);
  if (/^https?:\/\//i.test(text))
    throw new Error(
      `${what}: deepts works offline and does not download ('${text}'). Download the file first and pass its local path, e.g. 'file://./data.csv' or './data.csv'.`,
    );
  if (source instanceof URL) {
    if (source.protocol !== "file:") throw new Error(`${what}: only file URLs can be read, got '${text}'`);
    return fileURLToPath(source);
  }
  if (text.startsWith("file://")) return resolve(text.slice("file://".length));
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(text))
    throw new Error(`${what}: only local files can be read (a path or file:// URL), got '${text}'`);
  return resolve(text);
}

/** Chunks of bytes of a file (opened on the first read) or of a byte array. */
export class ByteChunkIterator extends LazyIterator<Uint8Array> {
  private file: FileHandle | undefined;
  private offset = 0;
  private finished = false;
  private readonly chunkSize: number;
  constructor(
    private readonly input: string | Uint8Array,
    options: FileChunkIteratorOptions = {},
  ) {
    super();
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES;
    if (!(Number.isInteger(this.chunkSize) && this.chunkSize > 0))
      throw new Error(`chunkSize must be a positive integer, got ${options.chunkSize}`);
  }
  protected async pull(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished) return DONE;
    if (typeof this.input !== "string") {
      const chunk = this.input.subarray(this.offset, this.offset + this.chunkSize);
      this.offset += chunk.length;
      if (chunk.length === 0) this.finished = true;
      return chunk.length ? { value: chunk, done: false } : DONE;
    }
    this.file ??= await openForReading(this.input);
    const buffer = new Uint8Array(this.chunkSize);
    const { bytesRead } = await this.file.read(buffer, 0, this.chunkSize, this.offset);
    this.offset += bytesRead;
    if (bytesRead === 0) {
      await this.release();
      return DONE;
    }
    return { value: buffer.subarray(0, bytesRead), done: false };
  }
  protected override async release(): Promise<void> {
    this.finished = true;
    const f = this.file;
    this.file = undefined;
    await f?.close();
  }
}

async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new Error(`no such file: '${path}' (paths are relative to the working directory ${process.cwd()})`);
    throw e;
  }
}

/** The lines of UTF-8 text read in chunks (without their `\n` or `\r\n`; no empty last line). */
export class LineIterator extends LazyIterator<string> {
  private readonly decoder = new TextDecoder("utf-8");
  private carry = "";
  private lines: string[] = [];
  private ended = false;
  constructor(private readonly chunks: LazyIterator<Uint8Array>) {
    super();
  }
  protected async pull(): Promise<IteratorResult<string>> {
    while (this.lines.length === 0) {
      if (this.ended) return DONE;
      const r = await this.chunks.next();
      const text = r.done ? this.decoder.decode() : this.decoder.decode(r.value, { stream: true });
      const parts = (this.carry + text).split("\n");
      this.carry = parts.pop()!;
      if (r.done) {
        this.ended = true;
        if (this.carry !== "") parts.push(this.carry);
        this.carry = "";
      }
      this.lines = parts.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
    }
    return { value: this.lines.shift()!, done: false };
  }
  protected override async release(): Promise<void> {
    await this.chunks.return();
  }
}

/** Something that gives a fresh byte iterator per call (TF.js's `DataSource`). */
export abstract class DataSource {
  abstract iterator(): Promise<LazyIterator<Uint8Array>>;
}

/**
 * The bytes of a local file or a byte array.
 *
 * ```ts
 * const lines = new tf.data.TextLineDataset(new tf.data.FileDataSource("./notes.txt"));
 * ```
 */
export class FileDataSource extends DataSource {
  constructor(
    protected readonly input: string | Uint8Array,
    protected readonly options: FileChunkIteratorOptions = {},
  ) {
    super();
    if (typeof input === "string") localPath(input, "FileDataSource");
    else if (!(input instanceof Uint8Array)) throw new Error("FileDataSource: expected a path or a Uint8Array");
  }
  async iterator(): Promise<LazyIterator<Uint8Array>> {
    const input = typeof this.input === "string" ? localPath(this.input, "FileDataSource") : this.input;
    return new ByteChunkIterator(input, this.options);
  }
}

/** The bytes a URL names: `file://` URLs and paths only (deepts does not download). */
export class URLDataSource extends FileDataSource {
  constructor(url: string | URL, options: FileChunkIteratorOptions = {}) {
    super(localPath(url), options);
  }
}

/**
 * A dataset of the lines of a text source.
 *
 * ```ts
 * const lines = new tf.data.TextLineDataset(new tf.data.FileDataSource("./notes.txt"));
 * await lines.take(3).toArray();
 * ```
 */
export class TextLineDataset extends Dataset<string> {
  constructor(readonly input: DataSource) {
    super();
  }
  async iterator(): Promise<LazyIterator<string>> {
    return new LineIterator(await this.input.iterator());
  }
}
