/**
 * tf.data.csv against the real @tensorflow/tfjs-data 4.22 reading the same files (`file://`
 * paths): the same rows, values and column names for each configuration; plus what deepts adds
 * (plain relative paths, blank lines skipped, `""` in quoted fields) and its offline errors.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as tf from "../../src/tf.js";
import { elements, oracleReady, tfd } from "./tfjs-data-oracle.js";

const dir = mkdtempSync(join(tmpdir(), "deepts-csv-"));
const cwd = process.cwd();

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const housing = file(
  "housing.csv",
  "crim,zn,chas,rooms,town,medv\n" +
    "0.00632,18,0,6.575,Nahant,24\n" +
    '0.02731,0,1,6.421,"Swampscott, MA",21.6\n' +
    "0.02729,,0,7.185,Lynn,34.7\r\n" +
    "0.03237,0,true,6.998,Salem,33.4\n",
);
const semicolons = file("semi.csv", "a;b;c\n1;2;x\n4;5;y\n");
const spaces = file("spaces.csv", "  1   2 3\n4 5    6\n");

beforeAll(async () => {
  await oracleReady();
  process.chdir(dir);
});
afterAll(() => process.chdir(cwd));

const configs: Record<string, { path: string; config: Record<string, unknown> }> = {
  "header, numbers and strings, a quoted delimiter, an empty field, CRLF": { path: housing, config: {} },
  "a label column gives { xs, ys }": { path: housing, config: { columnConfigs: { medv: { isLabel: true } } } },
  "dtype int32 floors, bool reads 1/true, default fills an empty field": {
    path: housing,
    config: {
      columnConfigs: {
        rooms: { dtype: "int32" },
        chas: { dtype: "bool" },
        zn: { default: -1 },
        medv: { isLabel: true },
      },
    },
  },
  "configuredColumnsOnly keeps the configured columns": {
    path: housing,
    config: { columnConfigs: { rooms: {}, medv: { isLabel: true } }, configuredColumnsOnly: true },
  },
  "no header: columnNames name the columns": {
    path: semicolons,
    config: { hasHeader: false, columnNames: ["p", "q", "r"], delimiter: ";" },
  },
  "columnNames replace the header's": { path: semicolons, config: { columnNames: ["p", "q", "r"], delimiter: ";" } },
  "delimWhitespace: runs of spaces separate fields": {
    path: spaces,
    config: { hasHeader: false, columnNames: ["a", "b", "c"], delimWhitespace: true },
  },
};

describe("rows as TF.js reads them", () => {
  for (const [name, { path, config }] of Object.entries(configs)) {
    test(name, async () => {
      const mine = tf.data.csv(`file://${path}`, config);
      const reference = tfd.csv(`file://${path}`, config);
      expect(await mine.columnNames()).toEqual(await reference.columnNames());
      expect(await elements(mine)).toEqual(await elements(reference));
    });
  }

  test("the values themselves (spot check)", async () => {
    const rows = await tf.data.csv(`file://${housing}`, { columnConfigs: { medv: { isLabel: true } } }).toArray();
    expect(rows[1]).toEqual({
      xs: { crim: 0.02731, zn: 0, chas: 1, rooms: 6.421, town: "Swampscott, MA" },
      ys: { medv: 21.6 },
    });
    expect(rows[2].xs.zn).toBeUndefined();
    expect(rows[3].xs.chas).toBe("true");
  });

  test("errors TF.js gives: required or label column empty, wrong field count, unknown configured column", async () => {
    const required = { columnConfigs: { zn: { required: true } } };
    await expect(tf.data.csv(`file://${housing}`, required).toArray()).rejects.toThrow(
      "Required column zn is empty in this line: 0.02729,,0,7.185,Lynn,34.7",
    );
    const ragged = file("ragged.csv", "a,b\n1,2\n3\n");
    await expect(tf.data.csv(`file://${ragged}`).toArray()).rejects.toThrow(/Should have 2 elements in a row/);
    await expect(tf.data.csv(`file://${housing}`, { columnConfigs: { nope: {} } }).columnNames()).rejects.toThrow(
      'The key "nope" provided in columnConfigs does not match any of the column names',
    );
    await expect(tf.data.csv(`file://${semicolons}`, { hasHeader: false }).toArray()).rejects.toThrow(
      "Column names must be provided if there is no header line.",
    );
    const dup = file("dup.csv", "a,a\n1,2\n");
    await expect(tf.data.csv(`file://${dup}`).toArray()).rejects.toThrow("Duplicate column names found: a");
  });
});

describe("paths and sources", () => {
  test("file:// relative to the working directory, absolute file:/// paths, plain paths, URL objects", async () => {
    const expected = await tf.data.csv(`file://${housing}`).toArray();
    expect(await tf.data.csv("file://./housing.csv").toArray()).toEqual(expected);
    expect(await tf.data.csv("housing.csv").toArray()).toEqual(expected);
    expect(await tf.data.csv(relative(dir, housing)).toArray()).toEqual(expected);
    expect(await tf.data.csv(new URL(`file://${housing}`)).toArray()).toEqual(expected);
  });

  test("http(s) URLs fail at once, saying deepts does not download; a missing file names the path", async () => {
    expect(() => tf.data.csv("https://storage.googleapis.com/x/boston.csv")).toThrow(/offline and does not download/);
    expect(() => tf.data.csv("ftp://host/x.csv")).toThrow(/only local files/);
    await expect(tf.data.csv("missing.csv").toArray()).rejects.toThrow(`no such file: '${join(dir, "missing.csv")}'`);
  });

  test("lines split across read chunks are whole; no empty last line; blank lines are no rows", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i},${"x".repeat(i % 17)},${i * 0.5}`);
    const big = file("big.csv", `id,pad,half\n${rows.join("\n")}\n\n`);
    const ds = new tf.data.CSVDataset(new tf.data.FileDataSource(big, { chunkSize: 7 }));
    const read = await ds.toArray();
    expect(read).toHaveLength(300);
    expect(read[299]).toEqual({ id: 299, pad: "x".repeat(299 % 17), half: 149.5 });
    const lines = await new tf.data.TextLineDataset(new tf.data.FileDataSource(big, { chunkSize: 5 })).toArray();
    expect(lines).toHaveLength(302);
    expect(lines[301]).toBe("");
  });

  test("a quoted field may hold the delimiter and a doubled quote", async () => {
    const quoted = file("quoted.csv", 'name,said\nann,"she said ""hi"", then left"\n');
    expect(await tf.data.csv(quoted).toArray()).toEqual([{ name: "ann", said: 'she said "hi", then left' }]);
  });

  test("rows read through map and batch train-ready tensors", async () => {
    const ds = tf.data
      .csv(`file://${housing}`, { columnConfigs: { medv: { isLabel: true } } })
      .map(({ xs, ys }) => ({ xs: [xs.crim, xs.rooms], ys: [ys.medv] }))
      .batch(3);
    const batches = await elements(ds);
    expect(batches.map((b) => (b as { xs: { shape: number[] } }).xs.shape)).toEqual([
      [3, 2],
      [1, 2],
    ]);
  });
});
