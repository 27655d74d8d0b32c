// Signed URLs: HMAC-SHA256 over the method, the file id and the expiry (unix
// seconds), so a URL opens one file, for one method, until it expires; the
// expiry is inside the signature, so it cannot be stretched.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "../config.js";

type SigningConfig = Pick<Config, "STORAGE_SIGNING_SECRET" | "JWT_SECRET" | "JWT_PRIVATE_KEY">;
export type SignedMethod = "GET" | "PUT";

/** STORAGE_SIGNING_SECRET, else a key derived from the token key (never the token key itself). */
function signingKey(config: SigningConfig): Buffer {
  if (config.STORAGE_SIGNING_SECRET) return Buffer.from(config.STORAGE_SIGNING_SECRET);
  const base = config.JWT_SECRET ?? config.JWT_PRIVATE_KEY;
  if (!base) throw new Error("storage signing needs STORAGE_SIGNING_SECRET, JWT_SECRET or JWT_PRIVATE_KEY");
  return createHmac("sha256", base).update("lifegraph storage url signing").digest();
}

function signature(config: SigningConfig, method: SignedMethod, fileId: string, expires: number): Buffer {
  return createHmac("sha256", signingKey(config)).update(`${method}\n${fileId}\n${expires}`).digest();
}

export interface SignedQuery {
  exp: number;
  sig: string;
}

export function sign(config: SigningConfig, method: SignedMethod, fileId: string, expiresInSeconds: number, now = Date.now()): SignedQuery {
  const exp = Math.floor(now / 1000) + Math.max(1, Math.floor(expiresInSeconds));
  return { exp, sig: signature(config, method, fileId, exp).toString("base64url") };
}

/** True when `sig` signs this method, file and `exp`, and `exp` is still ahead. */
export function verify(config: SigningConfig, method: SignedMethod, fileId: string, exp: unknown, sig: unknown, now = Date.now()): boolean {
  if (typeof exp !== "string" || !/^\d{1,12}$/.test(exp) || typeof sig !== "string") return false;
  const expires = Number(exp);
  if (expires * 1000 <= now) return false;
  const given = Buffer.from(sig, "base64url");
  const expected = signature(config, method, fileId, expires);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
