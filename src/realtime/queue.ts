// The buffer between the hub and one subscription's transport. A consumer
// that reads slower than events arrive (a stalled SSE stream: graphql-sse
// waits for each write) fills it; past `limit` the subscription is cut off
// instead of growing memory without bound. Each item is shaped (`shape`) as
// it is queued, so the transport reads the queue itself, with no iterator of
// its own in between. A transport that writes frames itself (websockets)
// takes the items as they come instead (`deliverTo`), once a resume's replay
// is queued ahead of them: no promise per item, which at a thousand
// subscribers is what the garbage collector would otherwise carry.

export class SlowConsumerError extends Error {
  constructor() {
    super("The subscription fell too far behind and was ended; resume from your last cursor.");
  }
}

export class BoundedQueue<In, T = In> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: Error) => void) | null = null;
  private done = false;
  private error: Error | null = null;
  private ended = false;
  private sink: ((value: T) => boolean) | null = null;

  constructor(
    private readonly limit: number,
    /** Called once when the queue ends, whoever ends it (consumer, producer, overflow). */
    private readonly onEnd: (error: Error | null) => void,
    private readonly shape: (item: In) => T = (item) => item as unknown as T,
  ) {}

  get length(): number {
    return this.items.length;
  }

  /** Queues an item; throws SlowConsumerError (and ends the queue) past the limit. */
  push(item: In): void {
    if (this.done) return;
    if (this.sink) {
      if (!this.sink(this.shape(item))) this.overflow();
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: this.shape(item), done: false });
      return;
    }
    if (this.items.length >= this.limit) this.overflow();
    this.items.push(this.shape(item));
  }

  private overflow(): never {
    const error = new SlowConsumerError();
    this.fail(error);
    throw error;
  }

  /**
   * From now on hands each item to `sink` as it is queued, what is already
   * queued first and in order, instead of holding it for `next()`, which
   * then only reports the end. `sink` answers false when its consumer has
   * stalled, and the queue ends as it does past its limit.
   */
  deliverTo(sink: (value: T) => boolean): void {
    const queued = this.items;
    this.items = [];
    this.sink = sink;
    for (const value of queued) {
      if (this.done) return;
      if (!sink(value)) {
        this.fail(new SlowConsumerError());
        return;
      }
    }
  }

  /** Puts items before everything queued (a replay before the live events that arrived during it); not counted against the limit. */
  prepend(items: In[]): void {
    this.items.unshift(...items.map(this.shape));
  }

  /** Ends the stream after what is queued. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.settle(null);
  }

  /** Ends the stream with an error, dropping what is queued. */
  fail(error: Error): void {
    if (this.ended) return;
    this.done = true;
    this.error = error;
    this.items = [];
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = this.failWaiting = null;
      reject(error);
    }
    this.finish(error);
  }

  private settle(error: Error | null): void {
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
    this.finish(error);
  }

  private finish(error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd(error);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.error) return Promise.reject(this.error);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  /** The consumer stopped (client unsubscribed or disconnected). */
  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.fail(error instanceof Error ? error : new Error(String(error)));
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
