/** An async iterator fed by `push`: a subscriber's buffer between a source and its reader. */
export interface PushQueue<T> {
  iterator: AsyncGenerator<T>;
  /** Adds an item; the oldest is dropped when the reader has fallen `limit` items behind. */
  push(item: T): void;
}

/**
 * A bounded queue read as an async iterator. `onClose` runs once, when the reader stops
 * (`return`/`throw`): that is where the feeding source lets go of it.
 */
export function pushQueue<T>(onClose: () => void, limit = 1000): PushQueue<T> {
  const buffer: T[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const close = () => {
    if (done) return;
    done = true;
    onClose();
    wake?.();
  };
  const iterator: AsyncGenerator<T> = {
    async next() {
      while (!done && buffer.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (buffer.length) return { value: buffer.shift() as T, done: false };
      return { value: undefined, done: true };
    },
    async return() {
      close();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      close();
    },
  };
  return {
    iterator,
    push(item) {
      if (done) return;
      if (buffer.length >= limit) buffer.shift();
      buffer.push(item);
      wake?.();
    },
  };
}
