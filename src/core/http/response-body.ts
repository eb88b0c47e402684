/**
 * Request and response bodies: what is sent as JSON, how much of an error body is kept,
 * and how a streamed body is handed out without ever being buffered whole.
 */
import { Readable } from 'node:stream';
import { SupportSyncError } from '../errors.ts';
import type { FailureContext } from './http-failure.ts';
import { networkFailure } from './http-failure.ts';

/** Why an attempt's controller was aborted by the client itself rather than by the caller. */
export class AttemptTimeout extends Error {}

/** The parts of one in-flight attempt a streamed body needs. */
export interface StreamingAttempt {
  res: Response;
  controller: AbortController;
  armTimer: () => void;
  disarmTimer: () => void;
  /** Detaches the attempt's listeners once the body is done. */
  cleanup: () => void;
  onBytes: (n: number) => void;
  timeoutMs: number;
  fctx: FailureContext;
}

export function isRawBody(body: unknown): boolean {
  return typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

export function encodeBody(body: unknown): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (isRawBody(body)) return body as BodyInit;
  return JSON.stringify(body);
}

/** Reads at most `max` bytes of an error body (an HTML error page can be large). */
export async function readLimited(res: Response, max: number, onBytes: (n: number) => void): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
    onBytes(chunk.byteLength);
    if (size >= max) break;
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

/**
 * The body as a Node Readable, never buffered whole. The attempt's timer now measures the
 * gap between chunks, so a stalled download fails instead of hanging; errors while
 * streaming cannot be retried here (bytes were handed out), the caller restarts.
 */
export function streamBody(attempt: StreamingAttempt): Readable {
  const { res, controller, armTimer, disarmTimer, cleanup, onBytes, timeoutMs, fctx } = attempt;
  async function* chunks(): AsyncGenerator<Buffer> {
    let complete = false;
    try {
      if (!res.body) return;
      const reader = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
      for (;;) {
        // Only time the wait for the server, not the consumer's pace between reads.
        armTimer();
        const next = await reader.next();
        disarmTimer();
        if (next.done) break;
        onBytes(next.value.byteLength);
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
      complete = true;
    } catch (err) {
      const reason = controller.signal.reason;
      if (reason instanceof AttemptTimeout) {
        throw new SupportSyncError(
          `${fctx.method} ${fctx.url}: the download stalled, no data for ${timeoutMs} ms. Check the network, or raise timeoutMs.`,
          { code: 'HTTP_TIMEOUT', phase: 'http', disposition: 'retry', cause: err },
        );
      }
      if (controller.signal.aborted) throw reason;
      throw networkFailure(fctx, err);
    } finally {
      cleanup();
      if (!complete) controller.abort();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
