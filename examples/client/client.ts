// A typed GraphQL client in a few lines of plain fetch. It sends each
// operation by its id only (`documentId`, as `npm run codegen` hashed it):
// a gateway with TRUSTED_DOCUMENTS on runs nothing else, and the document
// text never travels.
import type { TypedDocumentString } from "./gql/graphql.js";

export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: Array<{ message: string; extensions?: { code?: string } }>,
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? "?"}: ${e.message}`).join("; ") || `HTTP ${status}`);
  }

  /** The stable code of the first error (docs/errors.md). */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface Client {
  /** The bearer token sent with every later request (after a login, say). */
  token?: string;
  request<R, V>(document: TypedDocumentString<R, V>, ...variables: V extends Record<string, never> ? [] : [V]): Promise<R>;
}

export function makeClient(baseUrl: string): Client {
  const client: Client = {
    async request(document, ...[variables]) {
      const documentId = document.__meta__?.hash;
      if (typeof documentId !== "string") throw new Error("This document has no id: run npm run codegen");
      const response = await fetch(`${baseUrl}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
        },
        body: JSON.stringify({ documentId, variables: variables ?? {} }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: GraphQLRequestError["errors"] };
      if (body.errors?.length || !body.data) throw new GraphQLRequestError(response.status, body.errors ?? []);
      return body.data as never;
    },
  };
  return client;
}
