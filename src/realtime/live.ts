// How a subscription operation runs, on both transports (sockets.ts,
// event-stream.ts). An event arrives already shaped by the hub's one
// statement, so what is left per delivery is only to project it onto the
// subscriber's selection set. Grafast would do that once per subscriber
// (a bucket and an output plan each: about 45 µs, most of an event's time
// at 1,000 subscribers); here it is done once per event for every
// subscription with the same document and variables, and that one result
// object goes to all of them. The projection is graphql-js's own executor:
// the subscription types are plain objects with no resolvers or plans, so
// it reads their fields and serializes their scalars and enums by the
// schema, as any GraphQL server would. A transport that writes frames
// itself (websockets, `deliver`) is handed each projection as it is made,
// with its JSON also encoded once for all.
import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from "postgraphile/graphql";
import { topicFor } from "./schema-plugin.js";

/** What graphql-ws and graphql-sse hand to `subscribe`: grafserv's execution arguments, its context included. */
export interface SubscribeArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  contextValue: Grafast.Context;
  variableValues?: Record<string, unknown> | null;
  operationName?: string | null;
  /** Set by a transport that writes each event itself (sockets.ts); without it the transport reads the stream. */
  deliver?: Deliver;
}

/** One event projected onto one selection set, shared by every subscription to that selection set. */
export class Projection {
  private encoded: Buffer | undefined;

  constructor(readonly result: ExecutionResult) {}

  /**
   * The result as UTF-8 JSON, made once for all who send it: a socket's
   * frame is then a copy outside the JS heap, where a string per socket
   * (flattened, then encoded) would be a kilobyte or two of garbage each.
   */
  get bytes(): Buffer {
    return (this.encoded ??= Buffer.from(JSON.stringify(this.result)));
  }
}

/** Writes one projection to its subscriber; false when the subscriber has stalled (it is then cut off). */
export type Deliver = (projection: Projection) => boolean;

/**
 * One selection set (document, operation and variables) that live
 * subscriptions share: its projection of each event, made once and kept
 * while the event is still referenced by a queue.
 */
class Shape {
  subscribers = 0;
  private readonly results = new WeakMap<object, Projection>();

  /** What the projection needs, and no subscriber's context: a shape outlives the subscription that made it. */
  private readonly args: Pick<SubscribeArgs, "schema" | "document" | "variableValues" | "operationName">;

  constructor(
    { schema, document, variableValues, operationName }: SubscribeArgs,
    readonly fieldName: string,
  ) {
    this.args = { schema, document, variableValues, operationName };
  }

  render(item: object): Projection {
    let projection = this.results.get(item);
    if (!projection) {
      const { schema, document, variableValues, operationName } = this.args;
      // No field here resolves asynchronously, so the result is never a promise.
      projection = new Projection(execute({ schema, document, variableValues, operationName, rootValue: { [this.fieldName]: item } }) as ExecutionResult);
      this.results.set(item, projection);
    }
    return projection;
  }
}

/**
 * Shapes in use, by document text, operation and variables; a shape goes
 * when its last subscription ends, so clients varying their variables
 * (a conversation id each) cannot grow this without bound.
 */
const shapes = new Map<string, Shape>();

function shapeFor(args: SubscribeArgs, fieldName: string): { shape: Shape; release: () => void } {
  const text = args.document.loc?.source.body;
  const key = text === undefined ? null : `${text}\0${args.operationName ?? ""}\0${JSON.stringify(args.variableValues ?? {})}`;
  let shape = key === null ? undefined : shapes.get(key);
  if (!shape) {
    shape = new Shape(args, fieldName);
    if (key !== null) shapes.set(key, shape);
  }
  shape.subscribers++;
  const held = shape;
  let released = false;
  return {
    shape,
    release() {
      if (released) return;
      released = true;
      if (--held.subscribers === 0 && key !== null && shapes.get(key) === held) shapes.delete(key);
    },
  };
}

/** Shapes held now (tests: every ended subscription gives its shape back). */
export const liveShapes = (): number => shapes.size;

/**
 * Runs a subscription operation: graphql-js finds its root field and
 * coerces the arguments, and the realtime service opens the subscription as
 * the context's identity, its queue shaping each event into the shape's one
 * projection as it is queued. The transport then either reads that queue or,
 * with `deliver`, is handed each projection once the replay (if any) is
 * queued, so replayed and live events keep their order. Errors (SUBLM,
 * AUTHN, BADIN) come back as an execution result, which the transports mask
 * as they mask any other.
 */
export async function liveSubscribe(args: SubscribeArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
  const context = args.contextValue;
  const subscribeField: GraphQLFieldResolver<unknown, Grafast.Context> = async (_root, fieldArgs, _context, info) => {
    // Every gateway has one; only the schema export builds a context without.
    const realtime = context.lifegraphRealtime;
    if (!realtime) throw new Error("realtime is not attached to this gateway");
    const { shape, release } = shapeFor(args, info.fieldName);
    const identity = context.lifegraphIdentity;
    const options = { cutOff: context.lifegraphCutOff, onEnd: release };
    try {
      const topic = topicFor(info.fieldName, fieldArgs);
      if (!args.deliver) return await realtime.subscribe(identity, topic, { ...options, shape: (item) => shape.render(item).result });
      const queue = await realtime.subscribe(identity, topic, { ...options, shape: (item) => shape.render(item) });
      queue.deliverTo(args.deliver);
      return queue;
    } catch (error) {
      release();
      throw error;
    }
  };
  // The stream is the service's queue, which yields what `shape` made of
  // each event (an ExecutionResult), or, once delivering, only its end.
  return createSourceEventStream({
    schema: args.schema,
    document: args.document,
    contextValue: context,
    variableValues: args.variableValues ?? undefined,
    operationName: args.operationName ?? undefined,
    subscribeFieldResolver: subscribeField,
  }) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;
}
