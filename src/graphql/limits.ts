// Query limits and error codes at grafserv's door, before any SQL: every
// document is parsed with a token cap and validated with our limits rule
// (depth, aliases, directives, cost, page size: fragments counted as they
// expand, each fragment measured once), and every error grafserv answers on
// its own (bad body, media type, method) gets a stable `extensions.code`.
// One grafserv plugin: `setPreset` replaces parseAndValidate and wraps
// execute for HTTP, websockets and SSE alike; `processRequest` codes the
// errors that never reach maskError.
import { createHash } from "node:crypto";
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  Source,
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from "postgraphile/graphql";
import type { ErrorCode } from "../identity/errors.js";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  /** The largest `first`/`last`; also the page a connection without either is costed at. */
  maxPage: number;
  introspection: boolean;
  /** Production: no "Did you mean …?" in validation messages. */
  hideSuggestions: boolean;
}

const error = (message: string, code: ErrorCode, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra } });

interface Measure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

const ZERO: Measure = { depth: 0, aliases: 0, directives: 0, cost: 0 };

function intValue(node: ValueNode | undefined): number | null {
  return node?.kind === Kind.INT ? Number(node.value) : null;
}

/**
 * Measures an operation with its fragments expanded. A fragment's measure
 * depends only on the fragment, so it is computed once and reused wherever
 * it is spread: a document that spreads each fragment twice per level costs
 * one visit per fragment here, while its expansion doubles per level.
 */
function measureOperation(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  root: GraphQLNamedType | undefined,
  selectionSet: SelectionSetNode,
  limits: QueryLimits,
  pages: Array<{ value: number; field: string }>,
): Measure {
  const memo = new Map<string, Measure>();
  const measureSet = (type: GraphQLNamedType | undefined, set: SelectionSetNode): Measure => {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    let cost = 0;
    for (const selection of set.selections) {
      directives += selection.directives?.length ?? 0;
      let m: Measure;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // Introspection has its own switch; its fixed shape is not costed.
        if (name.startsWith("__")) {
          aliases += selection.alias ? 1 : 0;
          continue;
        }
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
        const childType = field ? getNamedType(field.type) : undefined;
        const child = selection.selectionSet ? measureSet(childType, selection.selectionSet) : ZERO;
        let multiplier = 1;
        if (field?.args.some((a) => a.name === "first")) {
          const first = selection.arguments?.find((a) => a.name.value === "first")?.value;
          const last = selection.arguments?.find((a) => a.name.value === "last")?.value;
          for (const v of [first, last]) {
            const n = intValue(v);
            if (n !== null) pages.push({ value: n, field: name });
          }
          multiplier = Math.min(intValue(first) ?? limits.maxPage, intValue(last) ?? limits.maxPage, limits.maxPage);
          multiplier = Math.max(multiplier, 1);
        }
        m = {
          depth: 1 + child.depth,
          aliases: (selection.alias ? 1 : 0) + child.aliases,
          directives: child.directives,
          cost: 1 + multiplier * child.cost,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? undefined : type;
        m = measureSet(inner, selection.selectionSet);
      } else {
        const name = selection.name.value;
        const known = memo.get(name);
        if (known) {
          m = known;
        } else {
          const fragment = fragments.get(name);
          // A cycle (refused by NoFragmentCyclesRule) or an unknown name
          // (KnownFragmentNamesRule) measures as nothing here.
          memo.set(name, ZERO);
          m = fragment ? measureSet(schema.getType(fragment.typeCondition.name.value) ?? undefined, fragment.selectionSet) : ZERO;
          memo.set(name, m);
        }
      }
      depth = Math.max(depth, m.depth);
      aliases += m.aliases;
      directives += m.directives;
      cost += m.cost;
    }
    return { depth, aliases, directives, cost };
  };
  return measureSet(root, selectionSet);
}

/** The limits as a validation rule: one refusal (QLIMT) per operation over any of them. */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const schema = context.getSchema();
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      for (const operation of document.definitions) {
        if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
        const pages: Array<{ value: number; field: string }> = [];
        let m: Measure;
        try {
          m = measureOperation(schema, fragments, schema.getRootType(operation.operation) ?? undefined, operation.selectionSet, limits, pages);
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          m = { depth: Infinity, aliases: 0, directives: 0, cost: Infinity };
        }
        m.directives += operation.directives?.length ?? 0;
        const over = [
          m.depth > limits.maxDepth && `depth ${m.depth} > ${limits.maxDepth}`,
          m.aliases > limits.maxAliases && `aliases ${m.aliases} > ${limits.maxAliases}`,
          m.directives > limits.maxDirectives && `directives ${m.directives} > ${limits.maxDirectives}`,
          m.cost > limits.maxCost && `cost ${m.cost.toExponential(2)} > ${limits.maxCost}`,
          ...pages.filter((p) => p.value > limits.maxPage).map((p) => `${p.field}: page ${p.value} > ${limits.maxPage}`),
        ].filter(Boolean);
        if (over.length) {
          context.reportError(
            new GraphQLError(`Query over its limits: ${over.join(", ")}.`, { nodes: [operation], extensions: { code: "QLIMT" } }),
          );
        }
      }
      return false;
    },
  });
}

/**
 * Pages given through variables over the cap (literals are the validation
 * rule's), and a `first`/`last` that is null while the other is absent or
 * null too: the whole set, which a connection without either never reads.
 */
function pageProblem(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined, maxPage: number): string | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const defaults = new Map<string, ValueNode | undefined>();
  for (const v of operation.variableDefinitions ?? []) defaults.set(v.variable.name.value, v.defaultValue);
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.NULL) return null;
    if (node.kind !== Kind.VARIABLE) return undefined;
    const name = node.name.value;
    if (variables && name in variables) return variables[name];
    const fallback = defaults.get(name);
    return fallback ? valueOf(fallback) : null;
  };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): string | null => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const pages = (sel.arguments ?? []).filter((a) => a.name.value === "first" || a.name.value === "last");
        if (pages.length) {
          const values = pages.map((a) => valueOf(a.value));
          for (const value of values) {
            if (typeof value === "number" && value > maxPage) return `${sel.name.value}: page ${value} > ${maxPage}`;
          }
          if (values.every((v) => v === null)) return `${sel.name.value}: first or last must be a number (at most ${maxPage})`;
        }
        if (sel.selectionSet) {
          const found = walk(sel.selectionSet);
          if (found) return found;
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const found = walk(sel.selectionSet);
        if (found) return found;
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        const found = fragment ? walk(fragment.selectionSet) : null;
        if (found) return found;
      }
    }
    return null;
  };
  return walk(operation.selectionSet);
}

type ParseAndValidateResult = { errors: readonly GraphQLError[]; document?: undefined } | { errors?: undefined; document: DocumentNode };

/** graphql-js's message (spelt "more that") when parse meets maxTokens. */
const TOKENS = /Document contains more th\w+ \d+ tokens/;

/** Gives a parse or validation error its code; strips suggestions when asked. */
function coded(e: unknown, code: ErrorCode, hideSuggestions: boolean): GraphQLError {
  if (!(e instanceof GraphQLError)) {
    // A document nested deeper than the parser's stack.
    if (e instanceof RangeError) return error("Query over its limits: nested too deeply.", "QLIMT");
    throw e;
  }
  if (e.extensions?.code) return e;
  const tokens = TOKENS.test(e.message);
  let message = hideSuggestions ? e.message.replace(/ Did you mean .*\?$/s, "") : e.message;
  if (tokens) message = `Query over its limits: ${e.message.match(/\d+ tokens/)![0]} at most.`;
  return new GraphQLError(message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    extensions: { ...e.extensions, code: tokens ? "QLIMT" : code },
  });
}

/** parseAndValidate with a token cap, our rules and codes; the last 500 documents' results are kept. */
export function makeParseAndValidate(schema: GraphQLSchema, baseRules: readonly ValidationRule[], limits: QueryLimits) {
  const limitsRule = queryLimitsRule(limits);
  const rules = [...baseRules, ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const cache = new Map<string, ParseAndValidateResult>();
  return function parseAndValidate(query: string): ParseAndValidateResult {
    // Long documents are kept by their hash, so the cache stays small.
    const key = query.length > 500 ? createHash("sha1").update(query).digest("base64") : query;
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    let result: ParseAndValidateResult;
    let document: DocumentNode | undefined;
    try {
      document = parse(new Source(query, "GraphQL request"), { maxTokens: limits.maxTokens });
    } catch (e) {
      result = { errors: [coded(e, "GQLPA", limits.hideSuggestions)] };
    }
    if (document) {
      let errors: readonly GraphQLError[];
      try {
        // The limits alone first: a document over them is not worth the
        // other rules (overlapping fields is quadratic in a document's fields).
        errors = validate(schema, document, [limitsRule]);
        if (!errors.length) errors = validate(schema, document, rules, { hideSuggestions: limits.hideSuggestions });
      } catch (e) {
        errors = [coded(e, "GQLVA", limits.hideSuggestions)];
      }
      result = errors.length ? { errors: errors.map((e) => coded(e, "GQLVA", limits.hideSuggestions)) } : { document };
    }
    cache.set(key, result!);
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
    return result!;
  };
}

interface ExecuteArgs {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
}

/** Refuses, before planning, what execute cannot run: no such operation, a subscription outside a stream, a page over the cap. */
export function guardExecute<A extends ExecuteArgs, R>(execute: (args: A) => R, limits: QueryLimits): (args: A) => R {
  return (args) => {
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    if (!operation) {
      return { errors: [error("No operation to run: name one with operationName, present in the document.", "GQLOP")] } as R;
    }
    if (operation.operation === "subscription") {
      return { errors: [error("Subscriptions run over a websocket or /graphql/stream, not a plain request.", "GQLOP")] } as R;
    }
    const over = pageProblem(args.document, args.operationName ?? undefined, args.variableValues ?? undefined, limits.maxPage);
    if (over) return { errors: [error(`Query over its limits: ${over}.`, "QLIMT")] } as R;
    return execute(args);
  };
}

/** The code of an error grafserv answers itself (no body, media type, method…), by its HTTP status. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: "GQLBD",
  405: "GQLME",
  406: "GQLAC",
  413: "GQLSZ",
  415: "GQLCT",
};

interface JsonError {
  message?: string;
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Adds a code to each uncoded error of a grafserv error response; drops statusCode and anything else internal. */
export function codeErrorPayload(payload: { errors?: JsonError[] }, status: number): boolean {
  if (!Array.isArray(payload.errors)) return false;
  let changed = false;
  payload.errors = payload.errors.map((e) => {
    if (typeof e.extensions?.code === "string") return e;
    changed = true;
    const code = STATUS_CODES[status] ?? (status >= 500 ? "INTERNAL" : "GQLBD");
    let message = code === "INTERNAL" ? "Internal error." : String(e.message ?? "Bad request.");
    if (/expected object/.test(message)) message = "The body must be one JSON object: batched requests (a JSON array) are not accepted.";
    if (/^Parsing failed/.test(message)) message = "The body is not valid JSON.";
    return { message, extensions: { code } };
  });
  return changed;
}

interface ResultLike {
  type: string;
  statusCode: number;
  headers: Record<string, string>;
  buffer?: Buffer;
  json?: unknown;
}

/** The grafserv plugin that puts all of the above in place. */
export function makeQueryLimitsPlugin(limits: QueryLimits): GraphileConfig.Plugin {
  return {
    name: "LifegraphQueryLimitsPlugin",
    version: "0.0.0",
    grafserv: {
      middleware: {
        setPreset(next, event) {
          const base = event.getExecutionConfig;
          const rules = event.validationRules;
          const perSchema = new WeakMap<GraphQLSchema, { parseAndValidate: ReturnType<typeof makeParseAndValidate>; execute: unknown }>();
          event.getExecutionConfig = async function (ctx) {
            const config = await base.call(this, ctx);
            let ours = perSchema.get(config.schema);
            if (!ours) {
              ours = { parseAndValidate: makeParseAndValidate(config.schema, rules, limits), execute: guardExecute(config.execute as never, limits) };
              perSchema.set(config.schema, ours);
            }
            return { ...config, parseAndValidate: ours.parseAndValidate as never, execute: ours.execute as never };
          };
          return next();
        },
        async processRequest(next) {
          const result = (await next()) as ResultLike | null;
          if (!result || result.statusCode < 400 || !/json/.test(result.headers["content-type"] ?? "")) return result as never;
          try {
            if (result.type === "buffer" && result.buffer) {
              const payload = JSON.parse(result.buffer.toString("utf8"));
              if (codeErrorPayload(payload, result.statusCode)) {
                result.buffer = Buffer.from(JSON.stringify(payload), "utf8");
                result.headers["content-length"] = String(result.buffer.length);
              }
            } else if (result.type === "json" && result.json && typeof result.json === "object") {
              codeErrorPayload(result.json as { errors?: JsonError[] }, result.statusCode);
            }
          } catch {
            // Not JSON after all: left as it is.
          }
          return result as never;
        },
      },
    },
  };
}
