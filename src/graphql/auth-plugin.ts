// register / login / refreshSession: the mutations that hand out tokens.
// They run in Node because signing needs the key; the checks themselves are
// SQL in app_private, run by AuthService as the owner.
import { extendSchema } from "postgraphile/utils";
import { access, constant, context, sideEffect, type Step } from "postgraphile/grafast";
import type { AuthResult, AuthService } from "../identity/service.js";

declare global {
  namespace Grafast {
    interface Context {
      lifegraphAuth: AuthService;
    }
  }
}

type Credentials = "register" | "login" | "refresh";

export const AuthPlugin = extendSchema((build) => {
  const users = build.pgResources.users;
  if (!users) throw new Error("AuthPlugin needs the app_public.users table");

  /** Runs one AuthService call; later fields of the payload run as the new session. */
  function planCredentials(method: Credentials, $input: Step) {
    const $context = context();
    return sideEffect([$input, $context], async ([input, ctx]) => {
      const auth = ctx.lifegraphAuth;
      const result: AuthResult = await auth[method](input as never);
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
        "Signs in with a username or email and a password. Errors: LOGIN, LOCKD."
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
