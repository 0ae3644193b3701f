import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';
import { exampleOperations, type ExampleOperation } from '../examples/operations.js';
import { ErrorCode } from '../common/errors.js';
import { sendError } from '../common/http.js';
import type { BucketPolicy, RateLimitStore } from './rate-limit.js';

/**
 * Page loads per client address (gateway/LIMITS.md): each file of the playground (the page, its script, its
 * styles, its icon, its three editor workers) costs one point. A first visit takes 7 points and a reload 1 (the
 * page revalidates, 304; its files are cached for good), so 30 points refilled at 0.5 a second let a person
 * reload at will while a client pulling the whole playground again and again gets it once every 14 s.
 */
export const PAGE_BUCKET: BucketPolicy = { capacity: 30, restoreRate: 0.5 };

/**
 * The playground's CSP: its own files only, no other origin. Styles may be inline (React's style attributes and
 * the editor's generated rules), images and fonts may be data: URLs (icons inlined in the stylesheet); scripts and
 * workers come from the files below, so no inline script, eval or blob: worker is allowed. The same policy goes on
 * each file, since a worker runs under the CSP its own script was served with.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Encoding = 'br' | 'gzip';

/** One file of the playground, compressed on first demand and kept (compressing the 5 MB script takes ~1 s). */
class PlaygroundFile {
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();

  constructor(
    readonly type: string,
    readonly body: Buffer,
    readonly cacheControl: string,
  ) {
    this.etag = createHash('sha256').update(body).digest('hex').slice(0, 32);
  }

  /** Hashed names: a file's URL changes with its content, so browsers may keep it for a year. */
  name(base: string, extension: string): string {
    return `${base}.${this.etag.slice(0, 12)}.${extension}`;
  }

  async representation(encoding: Encoding | undefined): Promise<{ body: Buffer; etag: string }> {
    if (!encoding) return { body: this.body, etag: `"${this.etag}"` };
    let compressed = this.encoded.get(encoding);
    if (!compressed) {
      compressed =
        encoding === 'br'
          ? brotli(this.body, {
              params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: this.body.length },
            })
          : gzip(this.body);
      this.encoded.set(encoding, compressed);
    }
    // A strong ETag names one sequence of bytes: each encoding has its own.
    return { body: await compressed, etag: `"${this.etag}-${encoding}"` };
  }
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is revalidated on every load (a 304 when unchanged), so a new version is seen at once. */
const REVALIDATE = 'no-cache';

/** The same choice Apollo Server makes: a GET whose Accept prefers HTML over GraphQL's JSON gets the page. */
function prefersHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html']) === 'text/html';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Sets MonacoEnvironment before the GraphiQL bundle reads it, then renders once the document is parsed. */
const START_SCRIPT = `'use strict';
const config = JSON.parse(document.getElementById('graphiql-config').textContent);
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => config.workers[label] };
document.addEventListener('DOMContentLoaded', () => {
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), config.options);
});
`;

export interface PlaygroundOptions {
  /** Where the playground sends its queries. */
  endpoint: string;
  /** Counts page loads per client address (the gateway's rate-limit store). */
  store: RateLimitStore;
  /** Overrides PAGE_BUCKET (tests use a small one). */
  bucket?: BucketPolicy;
}

/**
 * The playground: GraphiQL served from this gateway only, so it works with no internet access, unlike Apollo's
 * Sandbox which loads from a CDN. The page (`GET /` asking for HTML) is 2 kB; the bundle, its styles, the editor
 * workers and the icon are separate files under /playground/ with hashed names, compressed once (brotli or gzip),
 * cached by browsers for a year, and every answer has a strong ETag (304 on If-None-Match). Loads are rate-limited
 * per client address. Mount it before the compression middleware: these files are compressed already.
 */
export function playground(options: PlaygroundOptions): RequestHandler {
  const bucket = options.bucket ?? PAGE_BUCKET;
  const files = new Map<string, PlaygroundFile>();
  const add = (base: string, extension: string, type: string, body: string | Buffer): string => {
    const file = new PlaygroundFile(type, Buffer.from(body), IMMUTABLE);
    const name = file.name(base, extension);
    files.set(name, file);
    return `/playground/${name}`;
  };
  const workers = {
    editorWorkerService: add('editor.worker', 'js', 'text/javascript; charset=utf-8', editorWorkerService),
    json: add('json.worker', 'js', 'text/javascript; charset=utf-8', jsonWorker),
    graphql: add('graphql.worker', 'js', 'text/javascript; charset=utf-8', graphqlWorker),
  };
  const config = { workers, options: graphiqlOptions(options.endpoint) };
  const icon = add('favicon', 'ico', 'image/x-icon', Buffer.from(favicon.slice(favicon.indexOf(',') + 1), 'base64'));
  const styles = add('graphiql', 'css', 'text/css; charset=utf-8', css);
  const start = add('start', 'js', 'text/javascript; charset=utf-8', START_SCRIPT);
  const bundle = add('graphiql', 'js', 'text/javascript; charset=utf-8', js);
  // `<` escaped: the JSON sits in the HTML, where a `</script>` in a default query would end the block.
  const configJson = JSON.stringify(config).replace(/</g, '\\u003c');
  const page = new PlaygroundFile(
    'text/html; charset=utf-8',
    Buffer.from(`<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(TITLE)}</title>
    <link rel="icon" href="${icon}" />
    <link rel="stylesheet" href="${styles}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-config">${configJson}</script>
    <script src="${start}"></script>
    <script src="${bundle}"></script>
  </body>
</html>
`),
    REVALIDATE,
  );

  async function send(req: Request, res: Response, file: PlaygroundFile): Promise<void> {
    const state = await options.store.take(`page:ip:${req.ip ?? 'unknown'}`, 1, bucket);
    if (!state.allowed) {
      res.setHeader('Retry-After', String(state.retryAfterSeconds));
      sendError(res, 429, ErrorCode.RATE_LIMITED, `Too many playground loads from this address: retry in ${state.retryAfterSeconds} s.`);
      return;
    }
    // brotli whenever accepted: browsers list gzip first, with the same weight, yet br is 20% smaller here.
    const accepted = new Set(req.acceptsEncodings());
    const encoding = accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined;
    const { body, etag } = await file.representation(encoding);
    res.setHeader('Content-Security-Policy', PLAYGROUND_CSP);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', file.cacheControl);
    res.vary('Accept-Encoding');
    res.setHeader('ETag', etag);
    if (encoding) res.setHeader('Content-Encoding', encoding);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', String(body.length));
    res.end(body);
  }

  const router = express.Router();
  router.get('/', (req, res, next) => {
    if (prefersHtml(req)) send(req, res, page).catch(next);
    else next();
  });
  router.get('/playground/:name', (req, res, next) => {
    const file = files.get(req.params.name);
    if (file) send(req, res, file).catch(next);
    else next();
  });
  return router;
}

const TITLE = 'conum-graph — Conseiller numérique France Services';

/**
 * What GraphiQL is rendered with (YogaGraphiQL's options, as `renderGraphiQL` takes them). Its tabs are the example
 * operations (examples/operations/): the first runs anonymously, each other one opens with the `Authorization`
 * header its caller needs, to be filled in.
 */
function graphiqlOptions(endpoint: string): Parameters<typeof renderGraphiQL>[0] {
  const examples = exampleOperations();
  return {
    endpoint,
    title: TITLE,
    defaultQuery: examples[0]!.query,
    defaultTabs: examples.map((example) => ({ query: example.query, headers: headersTemplate(example.caller) })),
  };
}

/** The Headers pane of a tab: where the caller's credentials go. */
function headersTemplate(caller: ExampleOperation['caller']): string | null {
  if (caller.kind === 'anonymous') return null;
  const credentials = caller.kind === 'user' ? `<token: npm run token -- ${caller.demoUser}>` : '<partner key: cng_live_…>';
  return JSON.stringify({ Authorization: `Bearer ${credentials}` }, null, 2);
}
