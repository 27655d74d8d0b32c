// register / login / refreshSession: the mutations that hand out tokens.
// They run in Node because signing needs the key; the checks themselves are
// SQL in app_private, run by AuthService as the owner.
import type { IncomingMessage } from "node:http";
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";
import { extendSchema, wrapPlans } from "postgraphile/utils";
import { access, constant, context, operationPlan, sideEffect, type Step } from "postgraphile/grafast";
import type { AuthResult, AuthService } from "../identity/service.js";
import { clientError } from "../identity/errors.js";
import { RateLimitedError, type AuthAction } from "../identity/rate-limits.js";

declare global {
  namespace Grafast {
    interface Context {
      lifegraphAuth: AuthService;
      /** The HTTP request (the upgrade request on a websocket): its address, and where a 429 is asked for. */
      lifegraphRequest?: IncomingMessage;
    }
  }
}

declare module "node:http" {
  interface IncomingMessage {
    /** Set when a rate limit refused part of the request: the response becomes a 429 with this Retry-After. */
    lifegraphRetryAfter?: number;
  }
}

type Credentials = "register" | "login" | "refresh";

/** Fields that check a password or a token: at most one per request. */
const CREDENTIAL_FIELDS = new Set(["register", "login", "refreshSession"]);

/** The client's address: req.ip (set by express or the door, following TRUST_PROXY), else the socket's. */
export function requestIp(req: IncomingMessage | undefined): string {
  return req?.ip ?? req?.socket.remoteAddress ?? "unknown";
}

/** Runs `fn`; a rate limit's refusal becomes a client error and marks the response as a 429. */
async function limited<T>(ctx: Grafast.Context, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const req = ctx.lifegraphRequest;
    if (req) req.lifegraphRetryAfter = Math.max(req.lifegraphRetryAfter ?? 0, error.retryAfterSeconds);
    throw clientError(error.code, error.message);
  }
}

/** Credential fields in the operation being planned, fragments expanded (each fragment once). */
function credentialFieldCount(): number {
  const plan = operationPlan();
  const fragments = plan.fragments as Record<string, FragmentDefinitionNode>;
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number =>
    set.selections.reduce((n, sel) => {
      if (sel.kind === Kind.FIELD) return n + (CREDENTIAL_FIELDS.has(sel.name.value) ? 1 : 0);
      if (sel.kind === Kind.INLINE_FRAGMENT) return n + count(sel.selectionSet);
      const fragment = fragments[sel.name.value];
      if (!fragment || seen.has(sel.name.value)) return n;
      seen.add(sel.name.value);
      return n + count(fragment.selectionSet);
    }, 0);
  return count(plan.operation.selectionSet);
}

/** Rate limits in front of the account mutations that are plain SQL functions. */
export const AccountLimitsPlugin = wrapPlans({
  Mutation: {
    forgotPassword: (plan, _$source, fieldArgs) => {
      const $email = fieldArgs.getRaw(["input", "email"]);
      sideEffect([$email, context()], ([email, ctx]) =>
        limited(ctx, () => limit(ctx, "forgot", typeof email === "string" ? email : "")));
      return plan();
    },
    resendEmailVerification: (plan) => {
      sideEffect([context()], ([ctx]) =>
        limited(ctx, () => {
          const identity = ctx.lifegraphIdentity;
          return limit(ctx, "resend", identity?.kind === "session" ? identity.userId : null);
        }));
      return plan();
    },
  },
});

function limit(ctx: Grafast.Context, action: AuthAction, account: string | null): Promise<void> {
  return ctx.lifegraphAuth.limits?.auth(action, requestIp(ctx.lifegraphRequest), account) ?? Promise.resolve();
}

export const AuthPlugin = extendSchema((build) => {
  const users = build.pgResources.users;
  if (!users) throw new Error("AuthPlugin needs the app_public.users table");

  /** Runs one AuthService call; later fields of the payload run as the new session. */
  function planCredentials(method: Credentials, $input: Step) {
    const $context = context();
    // Planned once per document: a document with two credential fields (an
    // aliased login ×100, say) is refused as a whole, before any bcrypt runs.
    const several = credentialFieldCount() > 1;
    return sideEffect([$input, $context], async ([input, ctx]) => {
      if (several) throw clientError("CREDX", "One sign-in, registration or refresh per request.");
      const auth = ctx.lifegraphAuth;
      const result: AuthResult = await limited(ctx, () => auth[method](input as never, requestIp(ctx.lifegraphRequest)));
      ctx.pgSettings = {
        ...ctx.pgSettings,
        ...auth.pgSettings({ kind: "session", userId: result.userId, sessionId: result.sessionId, readOnly: false }),
      };
      return result;
    });
  }

  return {
    typeDefs: /* GraphQL */ `
      input RegisterInput {
        "3-24 letters, digits or underscores, starting with a letter."
        username: String!
        email: String!
        "At least 10 characters mixing two of: lower case, upper case, digits, symbols."
        password: String!
        displayName: String
      }
      input LoginInput {
        "Username or email address."
        login: String!
        password: String!
      }
      input RefreshSessionInput {
        refreshToken: String!
      }
      """
      Tokens for a session. Send the access token as \`Authorization: Bearer …\`;
      before it expires, trade the refresh token for a new pair (the old one then stops working).
      """
      type AuthPayload {
        accessToken: String!
        accessTokenExpiresAt: Datetime!
        refreshToken: String!
        user: User
        query: Query
      }
      extend type Mutation {
        "Creates an account and signs in."
        register(input: RegisterInput!): AuthPayload
        "Signs in with a username or email and a password. Errors: LOGIN, LOCKD, RATEL, CREDX."
        login(input: LoginInput!): AuthPayload
        "Rotates a refresh token. A token used twice ends its session. Error: TOKEN."
        refreshSession(input: RefreshSessionInput!): AuthPayload
      }
    `,
    objects: {
      Mutation: {
        plans: {
          register: (_, fieldArgs) => planCredentials("register", fieldArgs.getRaw("input")),
          login: (_, fieldArgs) => planCredentials("login", fieldArgs.getRaw("input")),
          refreshSession: (_, fieldArgs) => planCredentials("refresh", fieldArgs.getRaw("input")),
        },
      },
      AuthPayload: {
        plans: {
          user: ($result: Step) => users.get({ id: access($result, "userId") }),
          query: () => constant(true),
        },
      },
    },
  };
});
