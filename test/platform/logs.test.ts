// Logs a person can read: one line per entry in development, and never the
// whole job record graphile-worker attaches to its per-job lines.
import { describe, expect, it } from "@jest/globals";
import pino from "pino";
import { prettyLine } from "../../src/log.js";
import { workerLogger } from "../../src/worker/runner.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (chunk: string) => void lines.push(JSON.parse(chunk)) });
  return { logger, lines };
}

const job = {
  id: "7", task_identifier: "notifications__deliver", payload: { secretText: "my diary" }, attempts: 2, max_attempts: 25,
  locked_by: "pool-1", run_at: new Date(), key: null,
};

describe("worker logs", () => {
  it("keep the job's id, task and attempts, never its record or payload", () => {
    const { logger, lines } = capture();
    const log = workerLogger(logger).scope({ workerId: "worker-1", taskIdentifier: "notifications__deliver", jobId: "7" });
    log.info("Completed task 7 (notifications__deliver, 3.20ms, attempt 2 of 25) with success", { job, duration: 3.2, success: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, component: "worker", jobId: "7", taskIdentifier: "notifications__deliver", attempts: 2, maxAttempts: 25 });
    expect(lines[0]).not.toHaveProperty("job");
    expect(JSON.stringify(lines[0])).not.toContain("my diary");
  });

  it("put a failure's stack in err, not in a multi-line message", () => {
    const { logger, lines } = capture();
    const error = new Error("provider said no");
    workerLogger(logger).scope({ jobId: "7" }).error(
      `Failed task 7 (notifications__deliver, 3.20ms, attempt 2 of 25) with error 'provider said no':\n  ${error.stack}`,
      { failure: true, job, error, duration: 3.2 },
    );
    expect(lines[0]!.msg).toBe("Failed task 7 (notifications__deliver, 3.20ms, attempt 2 of 25) with error 'provider said no'");
    expect((lines[0]!.err as { message: string }).message).toBe("provider said no");
    expect(JSON.stringify(lines[0])).not.toContain("my diary");
  });
});

describe("pretty lines", () => {
  it("turn a JSON entry into one readable line", () => {
    const line = prettyLine(JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 2, 3, 4, 5, 678), pid: 1, hostname: "h", component: "worker", jobId: "7", msg: "Completed task 7 (x, 1.00ms) with success", duration: 1.23456 }));
    expect(line).toBe("03:04:05.678  INFO   worker   Completed task 7 (x, 1.00ms) with success  jobId=7 duration=1.23");
  });

  it("show a request as method, URL, status and time", () => {
    const line = prettyLine(JSON.stringify({ level: 30, time: 0, req: { id: "r1", method: "POST", url: "/graphql", headers: {} }, res: { statusCode: 200 }, responseTime: 12, msg: "request completed" }));
    expect(line).toBe("00:00:00.000  INFO   POST /graphql 200 12ms  reqId=r1");
  });

  it("add an error's message, and its stack at error level", () => {
    const err = { type: "Error", message: "boom", code: "57P01", stack: "Error: boom\n    at a (x.ts:1:1)" };
    expect(prettyLine(JSON.stringify({ level: 40, time: 0, msg: "lost", err }))).toBe("00:00:00.000  WARN   lost  — 57P01 boom");
    expect(prettyLine(JSON.stringify({ level: 50, time: 0, msg: "failed", err }))).toBe("00:00:00.000  ERROR  failed  — 57P01 boom\n    at a (x.ts:1:1)");
  });
});
