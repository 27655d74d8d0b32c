// Configuration comes from the environment only, validated once at startup so
// that a bad value stops the process with a message naming the variable.
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const roleName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case Postgres role name");
const url = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string");
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(5678),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** json: one JSON object a line; pretty: one readable line. Default: pretty in development on a terminal, else json. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Owner connection: migrations, worker, credential checks. None: embedded Postgres. */
  DATABASE_URL: url.optional(),
  /** Authenticator connection for GraphQL; derived from DATABASE_URL when absent. */
  AUTH_DATABASE_URL: url.optional(),
  /**
   * A transaction-mode pooler (PgBouncer) in front of the database: the
   * gateway's GraphQL (authenticator) pool connects through it, with the
   * authenticator's credentials. LISTEN, the worker, migrations and owner
   * connections stay direct (docs/scaling.md says why).
   */
  DATABASE_POOLER_URL: url.optional(),
  /** replica: this gateway reads a streaming standby; it refuses writes (RDONL) and needs PRIMARY_DATABASE_URL. */
  GATEWAY_MODE: z.enum(["primary", "replica"]).default("primary"),
  /** Owner connection to the primary, for what a replica gateway must write: the shared rate-limit counts. */
  PRIMARY_DATABASE_URL: url.optional(),
  /** Superuser connection that may create roles and databases (setup step only). */
  ROOT_DATABASE_URL: url.optional(),
  DATABASE_OWNER: roleName.default("lifegraph_owner"),
  DATABASE_OWNER_PASSWORD: z.string().min(8).default("lifegraph_owner_pw"),
  DATABASE_AUTHENTICATOR: roleName.default("lifegraph_authenticator"),
  DATABASE_AUTHENTICATOR_PASSWORD: z.string().min(8).default("lifegraph_authenticator_pw"),
  DATABASE_VISITOR: roleName.default("lifegraph_visitor"),
  DATABASE_ANONYMOUS: roleName.default("lifegraph_anonymous"),
  /** Where `npm start` keeps embedded Postgres and generated secrets. */
  LIFEGRAPH_DATA_DIR: z.string().default(".data"),
  SEED_DEMO_DATA: bool.optional(),
  JWT_SECRET: z
    .string()
    .refine((s) => Buffer.byteLength(s) >= 32, "must be at least 32 bytes")
    .optional(),
  /** PEM RSA or EC (P-256) private key: tokens are then RS256/ES256 and /.well-known/jwks.json serves the public key. */
  JWT_PRIVATE_KEY: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional(),
  JWT_ISSUER: z.string().min(1).default("lifegraph"),
  JWT_AUDIENCE: z.string().min(1).default("lifegraph"),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(86_400).default(900),
  SESSION_TTL_DAYS: positiveInt.max(365).default(30),
  SESSION_RETENTION_DAYS: positiveInt.default(30),
  GRAPHIQL: bool.optional(),
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url())),
  STATEMENT_TIMEOUT_MS: positiveInt.max(600_000).default(10_000),
  MAX_REQUEST_BYTES: positiveInt.default(100_000),
  WORKER_CONCURRENCY: positiveInt.max(64).default(2),
  RUN_WORKER: bool.default(true),
  /** Worker heartbeat period; a worker silent for WORKER_DEAD_AFTER_SECONDS is dead and its jobs are unlocked. */
  WORKER_HEARTBEAT_SECONDS: positiveInt.max(60).default(5),
  WORKER_DEAD_AFTER_SECONDS: positiveInt.max(3600).default(30),
  /** Base URL of an OpenAI-compatible API (…/v1) for journal analysis; unset = the local analyser. */
  ANALYSER_URL: z.url().optional(),
  ANALYSER_API_KEY: z.string().min(1).optional(),
  ANALYSER_MODEL: z.string().min(1).default("gpt-4o-mini"),
  /** Public address of the app, for links in notifications (verify, reset). */
  APP_URL: z.url().default("http://127.0.0.1:5678"),
  /** SMTP server for email notifications, e.g. smtps://user:pass@smtp.example.com; unset = no email channel. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  EMAIL_FROM: z.string().min(3).default("lifegraph <no-reply@lifegraph.local>"),
  /** VAPID keys for Web Push (npx web-push generate-vapid-keys); unset = no push channel. */
  VAPID_PUBLIC_KEY: z.string().min(20).optional(),
  VAPID_PRIVATE_KEY: z.string().min(20).optional(),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, "must be a mailto: or https: URL").default("mailto:admin@lifegraph.local"),
  /** Allow webhook and push targets on private or loopback addresses, and plain http (tests, local setups). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
  WEBHOOK_TIMEOUT_MS: positiveInt.max(60_000).default(15_000),
  /** Standard Webhooks secret (whsec_…) providers sign their delivery reports with; unset = /hooks/notifications is off. */
  PROVIDER_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, "must be a whsec_… secret").optional(),
  /** Days the log of a delivery that ended well is kept (dead letters stay until handled). */
  NOTIFICATION_LOG_RETENTION_DAYS: positiveInt.max(3650).default(30),
  /** Days a read in-app notification stays in the inbox (docs/privacy.md). */
  NOTIFICATION_READ_RETENTION_DAYS: positiveInt.max(3650).default(90),
  /** Days activity events are kept; reported or moderated ones stay (docs/privacy.md). */
  ACTIVITY_RETENTION_DAYS: positiveInt.max(3650).default(365),
  /** Days a data export's archive and download link last. */
  EXPORT_TTL_DAYS: positiveInt.max(30).default(7),
  /** Live subscriptions one user may hold on one gateway process. */
  REALTIME_MAX_SUBSCRIPTIONS_PER_USER: positiveInt.max(1000).default(20),
  /** Events queued for one subscription before its client counts as too slow and is cut off. */
  REALTIME_QUEUE_LIMIT: positiveInt.max(100_000).default(256),
  /** Missed activity events replayed on resume; past it the client is told to refetch. */
  REALTIME_REPLAY_LIMIT: positiveInt.max(10_000).default(500),
  /** A websocket must send connection_init within this. */
  REALTIME_INIT_TIMEOUT_MS: positiveInt.max(60_000).default(3_000),
  /** How often the log is read without a NOTIFY, and the sessions of live sockets checked. */
  REALTIME_POLL_MS: positiveInt.max(60_000).default(1_000),
  REALTIME_SESSION_CHECK_MS: positiveInt.max(60_000).default(2_000),
  /**
   * How long a gateway trusts a session it checked, without asking the
   * database again; a revocation reaches it at once through NOTIFY (README,
   * "Sessions"). 0: check on every request.
   */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  /** Websocket ping interval; a socket that misses a pong for this long is dropped. */
  REALTIME_KEEPALIVE_MS: positiveInt.max(300_000).default(12_000),
  /** Bytes that may wait unsent on one socket before its client is cut off as too slow. */
  REALTIME_MAX_BUFFERED_BYTES: positiveInt.default(1_048_576),
  /** Express's `trust proxy`: false (default: the socket's address is the client's), true, a hop count, or addresses/subnets (comma-separated). */
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v): boolean | number | string => (v === "true" ? true : v === "false" ? false : /^\d+$/.test(v) ? Number(v) : v)),
  /** Credential checks (bcrypt) run on a pool of their own with this many connections. */
  CREDENTIAL_POOL_SIZE: positiveInt.max(32).default(2),
  /** Each of login, register, forgotPassword and resendEmailVerification: attempts per IP per 15 minutes. */
  RATE_LIMIT_AUTH_PER_IP: positiveInt.default(30),
  /** Register, forgotPassword and resendEmailVerification: attempts per address or account per 15 minutes. */
  RATE_LIMIT_AUTH_PER_ACCOUNT: positiveInt.default(5),
  /** Consecutive failed logins of one account from one IP that block that pair for LOGIN_BLOCK_SECONDS. */
  LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(5),
  /** Failed logins of one account from all IPs within LOGIN_BLOCK_SECONDS past which only IPs without failures on it may try. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(20),
  LOGIN_BLOCK_SECONDS: positiveInt.max(86_400).default(900),
  /** GraphQL requests per minute: per signed-in user, and per IP. */
  RATE_LIMIT_GRAPHQL_PER_USER: positiveInt.default(600),
  RATE_LIMIT_GRAPHQL_PER_IP: positiveInt.default(1200),
  /**
   * How often a gateway shares its GraphQL request counts (one statement):
   * gateways together may admit up to one interval's worth over a limit.
   */
  RATE_LIMIT_SYNC_MS: positiveInt.max(10_000).default(250),
  /** Websocket connections opened per IP per minute. */
  RATE_LIMIT_WEBSOCKETS_PER_IP: positiveInt.default(60),
  /** Query limits, checked before any SQL (fragments counted as they expand): field depth, aliases, lexer tokens, directives. */
  GRAPHQL_MAX_DEPTH: positiveInt.default(15),
  GRAPHQL_MAX_ALIASES: positiveInt.default(30),
  GRAPHQL_MAX_TOKENS: positiveInt.default(5_000),
  GRAPHQL_MAX_DIRECTIVES: positiveInt.default(30),
  /** Estimated cost: 1 a field, what is under a connection times its page (first/last, else GRAPHQL_MAX_PAGE). */
  GRAPHQL_MAX_COST: positiveInt.default(1_000_000),
  /** The largest first/last a connection takes. */
  GRAPHQL_MAX_PAGE: positiveInt.max(10_000).default(100),
  /** Introspection (and Ruru's docs); default: on except in production. */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** GraphQL requests one user (anonymous: one IP) may have running at once, and waiting beyond those before a 429. */
  GRAPHQL_MAX_IN_FLIGHT: positiveInt.max(100).default(4),
  GRAPHQL_MAX_QUEUED: z.coerce.number().int().min(0).max(1000).default(16),
  /** on: only documents of the manifests run (PERSQ otherwise); default: on in production. */
  TRUSTED_DOCUMENTS: z.enum(["on", "off"]).optional(),
  /** With TRUSTED_DOCUMENTS on, administrators may still send raw documents (Ruru, admin tools). */
  TRUSTED_DOCUMENTS_ALLOW_ADMINS: bool.default(false),
  /** Manifests of trusted documents (id → document, as `npm run codegen` writes them), comma-separated, relative to the checkout. */
  TRUSTED_DOCUMENTS_MANIFEST: z
    .string()
    .default("examples/client/gql/persisted-documents.json")
    .transform((s) => s.split(",").map((f) => f.trim()).filter(Boolean)),
  /** Planning is synchronous (it blocks the process): an operation that takes longer is refused (QPLAN).
   * Wall-clock time: on a busy 2-core machine an ordinary mutation's first plan took over 2.5 s
   * (5× a 500 ms budget), so the default leaves room; the static limits are the first guard. */
  GRAPHQL_PLANNING_TIMEOUT_MS: positiveInt.max(60_000).default(3000),
  /** Bench only (`npm run bench -- limits`): off removes the query limits to measure what they cost. Never in production. */
  GRAPHQL_LIMITS: z.enum(["on", "off"]).default("on"),
  /** Bearer token of GET /metrics; unset: /metrics is off (404) unless METRICS_PORT is set. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Serves /metrics without a token on its own listener on 127.0.0.1 (also for `npm run worker`). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Distinct GraphQL operation names that get a latency series of their own; the rest count as "other". */
  METRICS_MAX_OPERATIONS: positiveInt.max(10_000).default(100),
  /** Where files are kept (docs/storage.md): disk (STORAGE_DIR) or an S3-compatible service. */
  STORAGE_BACKEND: z.enum(["disk", "s3"]).default("disk"),
  /** The disk backend's folder; default <LIFEGRAPH_DATA_DIR>/storage. */
  STORAGE_DIR: z.string().min(1).optional(),
  /** Key of the signed upload and download URLs; default: derived from JWT_SECRET (or JWT_PRIVATE_KEY). */
  STORAGE_SIGNING_SECRET: z.string().refine((s) => Buffer.byteLength(s) >= 32, "must be at least 32 bytes").optional(),
  /** Public base of the /storage URLs handed out; default: the address the request came to. */
  STORAGE_PUBLIC_URL: z.url().optional(),
  /** How long a signed upload URL stays valid. */
  STORAGE_UPLOAD_URL_TTL_SECONDS: positiveInt.max(86_400).default(900),
  /** STORAGE_BACKEND=s3: the bucket (keys start with attachments/, avatars/, exports/). */
  STORAGE_S3_BUCKET: z.string().min(3).optional(),
  /** An S3-compatible endpoint (MinIO, R2…); unset = AWS. */
  STORAGE_S3_ENDPOINT: z.url().optional(),
  STORAGE_S3_REGION: z.string().min(1).default("us-east-1"),
  /** Unset: the AWS SDK's own credential chain. */
  STORAGE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  STORAGE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  STORAGE_S3_FORCE_PATH_STYLE: bool.default(false),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Env {
  graphiql: boolean;
  seedDemoData: boolean;
  /** GRAPHQL_INTROSPECTION, else on outside production. */
  introspection: boolean;
  /** NODE_ENV or GRAPHILE_ENV is production: no "Did you mean" suggestions. */
  production: boolean;
  /** TRUSTED_DOCUMENTS, else on in production. */
  trustedDocuments: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (e.g. `ROOT_DATABASE_URL=` in compose) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(result.error)}`);
  }
  const parsed = result.data;
  const production = parsed.NODE_ENV === "production" || env.GRAPHILE_ENV === "production";
  if (parsed.STORAGE_BACKEND === "s3" && !parsed.STORAGE_S3_BUCKET) {
    throw new ConfigError("Invalid configuration: STORAGE_S3_BUCKET is required when STORAGE_BACKEND=s3");
  }
  if (parsed.NODE_ENV === "production" && !parsed.JWT_SECRET && !parsed.JWT_PRIVATE_KEY) {
    throw new ConfigError("Invalid configuration: JWT_SECRET or JWT_PRIVATE_KEY is required in production");
  }
  if (parsed.GATEWAY_MODE === "replica" && !parsed.PRIMARY_DATABASE_URL) {
    throw new ConfigError("Invalid configuration: GATEWAY_MODE=replica needs PRIMARY_DATABASE_URL (rate limits are counted on the primary)");
  }
  return {
    ...parsed,
    graphiql: parsed.GRAPHIQL ?? parsed.NODE_ENV !== "production",
    seedDemoData: parsed.SEED_DEMO_DATA ?? parsed.NODE_ENV !== "production",
    introspection: parsed.GRAPHQL_INTROSPECTION ?? !production,
    production,
    trustedDocuments: (parsed.TRUSTED_DOCUMENTS ?? (production ? "on" : "off")) === "on",
  };
}
