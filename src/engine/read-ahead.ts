/**
 * Pulls the next item of an async iterable while the caller works on the current one. For
 * a source, that means the next page's HTTP request is in flight while this page is
 * normalized, staged and committed: network waits and rate-budget pauses overlap with
 * loading instead of adding to it. Only the consumer decides what is committed, so reading
 * one message ahead never changes what a checkpoint covers.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = it.next();
      // The pending pull may fail while we are busy; its error is raised at the next await.
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    // Stopped early (an error in the consumer): let the source clean up.
    await it.return?.();
  }
}
