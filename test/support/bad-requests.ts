import { expect } from '@jest/globals';

/** Requests the HTTP layer refuses before GraphQL sees them, and the answer each must get. */
export const BAD_REQUESTS: {
  name: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  code: string;
}[] = [
  { name: 'malformed JSON', body: '{"query": ', status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON string', body: '"{ __typename }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON number', body: '42', status: 400, code: 'BAD_REQUEST' },
  // Far over any body limit the API may choose.
  {
    name: 'a body over the limit',
    body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(8_000_000) } }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'gzip that is not gzip',
    headers: { 'content-encoding': 'gzip' },
    body: '{"query": "{ __typename }"}',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an unknown content encoding',
    headers: { 'content-encoding': 'x-unknown' },
    body: '{}',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an unknown charset',
    headers: { 'content-type': 'application/json; charset=klingon' },
    body: '{}',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'an unknown path', path: '/no/such/path', method: 'GET', status: 404, code: 'NOT_FOUND' },
];

/** Sends one of BAD_REQUESTS to `url` (its path replaced when the case names one) and checks the JSON answer. */
export async function expectJsonRefusal(url: string, request: (typeof BAD_REQUESTS)[number]): Promise<void> {
  const res = await fetch(request.path ? new URL(request.path, url) : url, {
    method: request.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const text = await res.text();
  expect(res.status).toBe(request.status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(text).not.toMatch(/<html|<pre|node_modules|\/work\/|at .+:\d+:\d+/i);
  const body = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]).toEqual({ message: expect.any(String), extensions: { code: request.code } });
}
