import type { RequestHandler } from 'express';
import compression from 'compression';
import cors from 'cors';

/**
 * Request headers a browser page may send to the API. Any other custom header makes the preflight fail, so each
 * one the gateway reads is listed: the caller's credentials, the JSON body, Apollo's CSRF-prevention headers and
 * the idempotency key of a retried mutation.
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'idempotency-key',
];

/** Response headers a page's script may read besides the CORS-safelisted ones: its rate-limit state and replays. */
export const CORS_EXPOSED_HEADERS = [
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-used',
  'x-ratelimit-reset',
  'x-ratelimit-resource',
  'idempotent-replayed',
];

/** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_S = 7200;

/**
 * CORS for the origins in CORS_ORIGINS, exactly (scheme, host and port; no wildcard). A listed origin gets its own
 * origin back and may send credentials; any other gets no Access-Control-Allow-* at all, so the browser keeps the
 * response from its script. Preflights are answered 204 either way (Apollo would answer OPTIONS 400), and every
 * answer varies by Origin so that a shared cache never hands one origin's answer to another.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  const listed = new Set(origins);
  return cors((req, callback) => {
    const origin = req.headers.origin;
    callback(null, {
      origin: [...listed],
      credentials: origin !== undefined && listed.has(origin),
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: CORS_MAX_AGE_S,
    });
  });
}

/** HSTS for a year, without includeSubDomains: which other hosts of the domain are HTTPS-only is not this service's call. */
export const HSTS = 'max-age=31536000';

/**
 * Headers on every answer: no MIME sniffing, never framed (clickjacking), and HSTS in production, where the gateway
 * is only reached over HTTPS through the load balancer. API answers are JSON, never a document to render, so their
 * CSP allows nothing; the playground page sets its own (landing-page.ts).
 */
export function securityHeaders(options: { production: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (options.production) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}

/** JSON answers above this many bytes are compressed; below it, compressing costs more than it saves. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * gzip or brotli, as the client accepts, for API answers over the threshold (an introspection result is ~0.5 MB
 * of JSON). The playground's files are compressed once and kept (landing-page.ts): they carry Content-Encoding
 * already, which this middleware leaves alone.
 */
export function compressResponses(): RequestHandler {
  return compression({ threshold: COMPRESSION_THRESHOLD_BYTES });
}
