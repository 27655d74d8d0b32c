import pino, { type Logger } from "pino";
import type { Config } from "./config.js";

// Credentials and personal text never reach the logs.
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  "*.password",
  "*.oldPassword",
  "*.newPassword",
  "*.refreshToken",
  "*.accessToken",
  "*.secret",
];

export function makeLogger(config: Pick<Config, "LOG_LEVEL">): Logger {
  return pino({ level: config.LOG_LEVEL, redact: { paths: REDACT, censor: "[redacted]" } });
}
