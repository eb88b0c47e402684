/**
 * An AbortController that also aborts, with the same reason, when `parent` does (at once if
 * it already has). `unlink` stops listening to the parent once the child's work is over, so
 * a long-lived parent does not collect one listener per request.
 * (By hand rather than with AbortSignal.any, which Node 20 gained only in 20.3.)
 */
export function linkedAbort(parent: AbortSignal): { controller: AbortController; unlink(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort(parent.reason);
  if (parent.aborted) stop();
  else parent.addEventListener('abort', stop, { once: true });
  return { controller, unlink: () => parent.removeEventListener('abort', stop) };
}
