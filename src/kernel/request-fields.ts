/**
 * The content fields of every request the kernel takes, with their types (Jupyter messaging
 * protocol 5.3), in one table. A request whose fields do not match is answered with an error
 * reply naming the field, before any handler sees it; fields not listed are ignored, as the
 * protocol asks. `null` counts as absent for optional fields (some clients send `n: null`).
 */

type FieldType = "string" | "boolean" | "integer" | "object" | "object of strings";

interface FieldRule {
  type: FieldType;
  required?: boolean;
  /** The only values allowed. */
  oneOf?: readonly (string | number)[];
  /** The least value of an integer. */
  min?: number;
}

const OPTIONAL_BOOLEAN: FieldRule = { type: "boolean" };
const REQUIRED_STRING: FieldRule = { type: "string", required: true };
const CURSOR: FieldRule = { type: "integer", min: 0 };

/** msg_type → field → rule. A type missing here is not a request the kernel takes. */
export const REQUEST_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldRule>>>> = {
  kernel_info_request: {},
  connect_request: {},
  interrupt_request: {},
  shutdown_request: { restart: OPTIONAL_BOOLEAN },
  execute_request: {
    code: REQUIRED_STRING,
    silent: OPTIONAL_BOOLEAN,
    store_history: OPTIONAL_BOOLEAN,
    user_expressions: { type: "object of strings" },
    allow_stdin: OPTIONAL_BOOLEAN,
    stop_on_error: OPTIONAL_BOOLEAN,
  },
  complete_request: { code: REQUIRED_STRING, cursor_pos: CURSOR },
  inspect_request: { code: REQUIRED_STRING, cursor_pos: CURSOR, detail_level: { type: "integer", oneOf: [0, 1] } },
  is_complete_request: { code: REQUIRED_STRING },
  history_request: {
    output: OPTIONAL_BOOLEAN,
    raw: OPTIONAL_BOOLEAN,
    hist_access_type: { type: "string", oneOf: ["range", "tail", "search"] },
    session: { type: "integer" },
    start: { type: "integer" },
    stop: { type: "integer" },
    n: { type: "integer", min: 0 },
    pattern: { type: "string" },
    unique: OPTIONAL_BOOLEAN,
  },
  comm_info_request: { target_name: { type: "string" } },
  comm_open: { comm_id: REQUIRED_STRING, target_name: REQUIRED_STRING, data: { type: "object" } },
  comm_msg: { comm_id: REQUIRED_STRING, data: { type: "object" } },
  comm_close: { comm_id: REQUIRED_STRING, data: { type: "object" } },
  input_reply: { value: REQUIRED_STRING },
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a${typeof value === "object" ? "n" : ""} ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function matches(value: unknown, type: FieldType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return Number.isSafeInteger(value);
    case "object":
      return isPlainObject(value);
    case "object of strings":
      return isPlainObject(value) && Object.values(value).every((v) => typeof v === "string");
  }
}

/**
 * What is wrong with a request's content, or undefined when it is fine (and for types not in the table).
 *
 * ```ts
 * requestProblem("history_request", { hist_access_type: "search", pattern: 5 });
 * // 'history_request: "pattern" must be a string, got the integer 5'
 * ```
 */
export function requestProblem(msgType: string, content: Record<string, unknown>): string | undefined {
  const fields = REQUEST_FIELDS[msgType];
  if (!fields) return undefined;
  for (const [name, rule] of Object.entries(fields)) {
    const value = content[name];
    if (value === undefined || (value === null && !rule.required)) {
      if (rule.required) return `${msgType}: "${name}" is missing`;
      continue;
    }
    if (!matches(value, rule.type)) {
      const article = /^[aeiou]/.test(rule.type) ? "an" : "a";
      return `${msgType}: "${name}" must be ${article} ${rule.type}, got ${describe(value)}`;
    }
    if (rule.oneOf && !rule.oneOf.includes(value as string | number))
      return `${msgType}: "${name}" must be one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(value)}`;
    if (rule.min !== undefined && (value as number) < rule.min)
      return `${msgType}: "${name}" must be at least ${rule.min}, got ${describe(value)}`;
  }
  return undefined;
}
