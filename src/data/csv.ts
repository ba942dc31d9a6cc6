/**
 * `tf.data.csv`: a dataset of the rows of a CSV file, each an object keyed by column name, or
 * `{ xs, ys }` when some columns are marked `isLabel`. Values are parsed as TF.js does: numbers
 * when they read as numbers, otherwise strings; `dtype` `int32` floors, `bool` maps `1`/`true`
 * to 1 and anything else to 0; an empty field takes the column's `default`, fails when the column
 * is `required` or a label, and is undefined otherwise.
 */
import type { DType } from "../runtime/index.js";
import { Dataset } from "./dataset.js";
import { FilterIterator, type LazyIterator, MapIterator, SkipIterator } from "./lazy-iterator.js";
import { type DataSource, LineIterator, URLDataSource } from "./sources.js";

/** How to read one column. */
export interface ColumnConfig {
  /** Fail on an empty value. */
  required?: boolean;
  /** `float32` (default for numbers), `int32` (floored), `bool` (1 for `1`/`true`, else 0), or `string`. */
  dtype?: DType | "string";
  /** The value of an empty field. */
  default?: unknown;
  /** A label column: rows become `{ xs: features, ys: labels }`. */
  isLabel?: boolean;
}

export interface CSVConfig {
  /** The first line names the columns (default true). */
  hasHeader?: boolean;
  /** Column names, in order (they replace the header's; required without a header). */
  columnNames?: string[];
  /** Per-column settings, keyed by column name. */
  columnConfigs?: { [key: string]: ColumnConfig };
  /** Only the columns in `columnConfigs` are read. */
  configuredColumnsOnly?: boolean;
  /** Field separator (default `,`). */
  delimiter?: string;
  /** Fields are separated by runs of spaces (then no `delimiter`). */
  delimWhitespace?: boolean;
}

/**
 * A CSV row: values keyed by column name (numbers, strings, or what a column's `default` gives),
 * or `{ xs, ys }` objects of them when some columns are labels.
 */
// biome-ignore lint/suspicious/noExplicitAny: row values are numbers or strings by content, as in TF.js's untyped rows.
export type CSVElement = { [column: string]: any };

/** Splits one line into fields; quoted fields may contain the delimiter and `""` for a quote. */
export function splitCsvLine(line: string, delimiter: string, whitespace = false): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  const atDelimiter = (k: number) => line.startsWith(delimiter, k);
  if (whitespace) while (i < n && line[i] === " ") i++;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) {
          field += line.slice(i);
          i = n;
          break;
        }
        field += line.slice(i, close);
        i = close + 1;
        if (line[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      // Anything between the closing quote and the delimiter belongs to the field.
      while (i < n && !atDelimiter(i)) field += line[i++];
    } else {
      while (i < n && !atDelimiter(i)) field += line[i++];
    }
    fields.push(field);
    if (i >= n) return fields;
    i += delimiter.length;
    if (whitespace) {
      while (i < n && line[i] === " ") i++;
      if (i >= n) return fields;
    }
  }
}

function booleanValue(text: string): number {
  return text === "1" || text.toLowerCase() === "true" ? 1 : 0;
}

/** The value of one field by the TF.js rules (see the module comment). */
function parseField(text: string, column: string, config: ColumnConfig | undefined, line: string): unknown {
  if (text === "") {
    if (config?.default !== undefined) return config.default;
    if (config?.required || config?.isLabel)
      throw new Error(`Required column ${column} is empty in this line: ${line}`);
    return undefined;
  }
  if (config?.dtype === "string") return text;
  const number = Number(text);
  if (Number.isNaN(number)) return config?.dtype === "bool" ? booleanValue(text) : text;
  if (config?.dtype === "int32") return Math.floor(number);
  if (config?.dtype === "bool") return booleanValue(text);
  return number;
}

/**
 * The rows of a CSV file as a dataset (see `tf.data.csv`).
 *
 * ```ts
 * const ds = new tf.data.CSVDataset(new tf.data.FileDataSource("./data.csv"), { columnConfigs: { y: { isLabel: true } } });
 * ```
 */
export class CSVDataset extends Dataset<CSVElement> {
  private readonly hasHeader: boolean;
  private fullColumnNames: string[] | undefined;
  private readonly columnConfigs: { [key: string]: ColumnConfig } | undefined;
  private readonly configuredColumnsOnly: boolean;
  private readonly delimiter: string;
  private readonly delimWhitespace: boolean;
  private validated = false;

  constructor(
    readonly input: DataSource,
    config: CSVConfig = {},
  ) {
    super();
    const c = config ?? {};
    this.hasHeader = c.hasHeader !== false;
    this.fullColumnNames = c.columnNames?.slice();
    this.columnConfigs = c.columnConfigs;
    this.configuredColumnsOnly = c.configuredColumnsOnly === true;
    if (c.delimWhitespace) {
      if (c.delimiter != null) throw new Error("Delimiter should not be provided when delimWhitespace is true.");
      this.delimWhitespace = true;
      this.delimiter = " ";
    } else {
      this.delimWhitespace = false;
      this.delimiter = c.delimiter || ",";
    }
    if (this.configuredColumnsOnly && !this.columnConfigs)
      throw new Error("tf.data.csv: configuredColumnsOnly needs columnConfigs");
  }

  /**
   * The column names (from `columnNames` or the header line); only the configured ones with
   * `configuredColumnsOnly`.
   *
   * ```ts
   * const names = await tf.data.csv("file://./data.csv").columnNames();
   * ```
   */
  async columnNames(): Promise<string[]> {
    const names = await this.validColumnNames();
    return this.configuredColumnsOnly ? Object.keys(this.columnConfigs ?? {}) : names.slice();
  }

  private async validColumnNames(): Promise<string[]> {
    if (this.validated) return this.fullColumnNames!;
    const fromFile = this.hasHeader ? await this.readHeader() : undefined;
    if (!this.fullColumnNames && !fromFile)
      throw new Error("Column names must be provided if there is no header line.");
    if (this.fullColumnNames && fromFile && fromFile.length !== this.fullColumnNames.length)
      throw new Error(
        `The length of provided columnNames (${this.fullColumnNames.length}) does not match the length of the header line read from file (${fromFile.length}).`,
      );
    const names = (this.fullColumnNames ??= fromFile!);
    const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    if (duplicates.length) throw new Error(`Duplicate column names found: ${duplicates.join(",")}`);
    for (const key of Object.keys(this.columnConfigs ?? {})) {
      if (!names.includes(key))
        throw new Error(
          `The key "${key}" provided in columnConfigs does not match any of the column names (${names.join(",")}).`,
        );
    }
    this.validated = true;
    return names;
  }

  private async readHeader(): Promise<string[]> {
    const lines = new LineIterator(await this.input.iterator());
    try {
      const first = await lines.next();
      if (first.done) throw new Error("No data was found for CSV parsing.");
      return this.split(first.value);
    } finally {
      await lines.return();
    }
  }

  private split(line: string): string[] {
    return splitCsvLine(line, this.delimiter, this.delimWhitespace);
  }

  async iterator(): Promise<LazyIterator<CSVElement>> {
    const names = await this.validColumnNames();
    let lines: LazyIterator<string> = new LineIterator(await this.input.iterator());
    if (this.hasHeader) lines = new SkipIterator(lines, 1);
    // A blank line is no row (TF.js fails on it as a row with too few fields).
    if (names.length > 1) lines = new FilterIterator(lines, (line) => line.trim() !== "");
    return new MapIterator(lines, (line) => this.element(line, names), false);
  }

  private element(line: string, names: string[]): CSVElement {
    const values = this.split(line);
    if (values.length !== names.length)
      throw new Error(
        `Invalid row in csv file. Should have ${names.length} elements in a row, but got ${values.length}: ${line}`,
      );
    const features: CSVElement = {};
    const labels: CSVElement = {};
    names.forEach((name, i) => {
      const config = this.columnConfigs?.[name];
      if (this.configuredColumnsOnly && !config) return;
      (config?.isLabel ? labels : features)[name] = parseField(values[i], name, config, line);
    });
    return Object.keys(labels).length === 0 ? features : { xs: features, ys: labels };
  }
}

/**
 * A dataset of the rows of a local CSV file: `file://` + path (`file://./data.csv`) or a plain
 * path, relative to the notebook's folder. Each row is an object keyed by column name; with a
 * column marked `isLabel`, rows are `{ xs: { …features }, ys: { …labels } }`. URLs (http/https)
 * are refused: deepts does not download.
 *
 * ```ts
 * const ds = tf.data.csv("file://./housing.csv", { columnConfigs: { price: { isLabel: true } } });
 * const flat = ds.map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) })).batch(32);
 * await model.fitDataset(flat, { epochs: 10 });
 * ```
 */
export function csv(source: string | URL, csvConfig: CSVConfig = {}): CSVDataset {
  return new CSVDataset(new URLDataSource(source), csvConfig);
}
