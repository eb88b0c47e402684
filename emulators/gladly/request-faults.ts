/**
 * Answers for the request-level faults that replace the real answer: a reset, a hang, a
 * 429, a 500 with Gladly's JSON, or a gateway's HTML 502/503. Body and file faults
 * (truncate, cut, missing file) are applied by the routes instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestFault } from './faults.ts';
import { gladlyErrors } from './gladly-error.ts';
import { sendJson } from './http-io.ts';

export const TOO_MANY_REQUESTS = gladlyErrors({ code: 'too_many_requests', detail: 'rate limit reached' });

const gatewayPage = (status: number, title: string) =>
  `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center></body></html>\n`;

const ANSWERS: Partial<Record<RequestFault, { status: number; contentType: string; body: string }>> = {
  status500: { status: 500, contentType: 'application/json; charset=utf-8', body: JSON.stringify(gladlyErrors({ code: 'internal_error', detail: 'an unexpected error occurred' })) },
  status502: { status: 502, contentType: 'text/html', body: gatewayPage(502, 'Bad Gateway') },
  status503: { status: 503, contentType: 'text/html', body: gatewayPage(503, 'Service Temporarily Unavailable') },
};

/** Answers the fault if it replaces the real answer; false when the route should run. */
export function answerRequestFault(fault: RequestFault | null, req: IncomingMessage, res: ServerResponse): boolean {
  switch (fault) {
    case 'reset':
      req.socket.destroy();
      return true;
    case 'timeout':
      req.resume(); // never answer: the client gives up, or close() ends it
      return true;
    case 'status429':
      sendJson(res, 429, TOO_MANY_REQUESTS);
      return true;
    case 'status500':
    case 'status502':
    case 'status503': {
      const { status, contentType, body } = ANSWERS[fault]!;
      res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) }).end(body);
      return true;
    }
    default:
      return false;
  }
}
