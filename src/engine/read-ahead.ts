/**
 * Pulls the next item of an async iterable while the caller works on the current one, so
 * whatever the source awaits next (a file read, a rate-budget pause) overlaps with loading.
 * A page's records and its checkpoint are two messages, so this alone does not overlap an
 * HTTP stream's next request with the current page's load: the HTTP reader requests the next
 * page itself before handing out the current one (sources/http-stream/read-pages.ts). Only
 * the consumer decides what is committed, so reading ahead never changes what a checkpoint
 * covers.
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
