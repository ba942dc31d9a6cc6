import type TS from "typescript";
import type { IsCompleteResult } from "./api.js";
export function checkCompleteness(_ts: typeof TS, _code: string): IsCompleteResult { return { status: "unknown" }; }
