/**
 * The analysis thread (started by `ThreadAnalyzer` in analyzer.ts): one `CellChecker` answering
 * check, commit, completion and inspection requests in order. It warms up as soon as it starts.
 */
import ts from "typescript";
import { parentPort, workerData } from "node:worker_threads";
import { answer, type AnalysisReply, type AnalysisRequest } from "./analyzer.js";
import { CellChecker, type CheckerSetup } from "./checker.js";

const setup = workerData as CheckerSetup;
const checker = new CellChecker(ts, setup);
const residents = setup.residents.map((r) => r.name);
const port = parentPort!;

port.on("message", (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    reply = { id: request.id, result: answer(checker, request, residents) };
  } catch (err) {
    reply = { id: request.id, failed: String(err), stack: (err as Error)?.stack ?? "" };
  }
  port.postMessage(reply);
});
