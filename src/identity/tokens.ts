// Access tokens: short-lived JWTs naming a user (`sub`) and a session (`sid`).
// HS256 with a shared secret, or RS256/ES256 with a private key whose public
// half is published as a JWKS.
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { calculateJwkThumbprint, exportJWK, type JWK } from "jose";

export type SigningAlgorithm = "HS256" | "RS256" | "ES256";

export interface TokenSigner {
  algorithm: SigningAlgorithm;
  kid?: string;
  /** Public keys for `/.well-known/jwks.json`; empty for HS256. */
  jwks: { keys: JWK[] };
  sign(claims: { userId: string; sessionId: string }): { token: string; expiresAt: Date };
  /** Throws `InvalidTokenError` for anything but a valid, current token of ours. */
  verify(token: string): { userId: string; sessionId: string; expiresAt: Date };
}

export class InvalidTokenError extends Error {}
/** A well-formed credential whose session or key has ended: refused, not malformed (websockets close with 4403). */
export class SessionEndedError extends InvalidTokenError {}

export interface TokenOptions {
  secret?: string;
  privateKeyPem?: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const CLOCK_TOLERANCE_SECONDS = 60;
/** Verified tokens kept (the oldest leave first): about 4 MB at most. */
const VERIFIED_CACHE_SIZE = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function algorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw new Error("JWT_PRIVATE_KEY must be an RSA key or an EC P-256 key");
}

export async function makeTokenSigner(options: TokenOptions): Promise<TokenSigner> {
  let algorithm: SigningAlgorithm;
  let signKey: string | KeyObject;
  let verifyKey: string | KeyObject;
  let kid: string | undefined;
  const jwks: { keys: JWK[] } = { keys: [] };

  if (options.privateKeyPem) {
    signKey = createPrivateKey(options.privateKeyPem);
    verifyKey = createPublicKey(signKey);
    algorithm = algorithmFor(signKey);
    const publicJwk = await exportJWK(verifyKey);
    kid = await calculateJwkThumbprint(publicJwk);
    jwks.keys.push({ ...publicJwk, kid, alg: algorithm, use: "sig" });
  } else if (options.secret && Buffer.byteLength(options.secret) >= 32) {
    algorithm = "HS256";
    // A KeyObject, not the string: given a string, jsonwebtoken first tries
    // to parse it as a public key and throws, on every verification (~70 µs
    // against ~15 µs).
    signKey = verifyKey = createSecretKey(Buffer.from(options.secret, "utf8"));
  } else {
    throw new Error("A JWT secret of at least 32 bytes or a private key is required");
  }

  // Tokens already verified, until they expire: a client sends the same
  // token on every request, and its HMAC and JSON were about 2% of a
  // request's CPU. A token proves only who it names; whether the session
  // still stands is checked apart (src/identity/session-cache.ts).
  const verified = new Map<string, { userId: string; sessionId: string; expiresAt: Date }>();
  return {
    algorithm,
    kid,
    jwks,
    sign({ userId, sessionId }) {
      const token = jwt.sign({ sid: sessionId }, signKey, {
        algorithm,
        ...(kid ? { keyid: kid } : {}),
        subject: userId,
        issuer: options.issuer,
        audience: options.audience,
        expiresIn: options.ttlSeconds,
      });
      const { exp } = jwt.decode(token) as { exp: number };
      return { token, expiresAt: new Date(exp * 1000) };
    },
    verify(token) {
      const known = verified.get(token);
      if (known && known.expiresAt.getTime() + CLOCK_TOLERANCE_SECONDS * 1000 > Date.now()) return known;
      verified.delete(token);
      let payload: jwt.JwtPayload;
      try {
        const result = jwt.verify(token, verifyKey, {
          algorithms: [algorithm],
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        if (typeof result === "string") throw new InvalidTokenError("Token payload is not an object");
        payload = result;
      } catch (error) {
        throw new InvalidTokenError(error instanceof Error ? error.message : "Invalid token");
      }
      // jsonwebtoken accepts tokens without `exp`; ours always expire.
      if (typeof payload.exp !== "number") throw new InvalidTokenError("Token has no expiry");
      if (typeof payload.sub !== "string" || !UUID.test(payload.sub)) throw new InvalidTokenError("Bad subject");
      if (typeof payload.sid !== "string" || !UUID.test(payload.sid)) throw new InvalidTokenError("Bad session");
      const claims = { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, claims);
      return claims;
    },
  };
}
