import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { SUPERGRAPH_PATH } from '../../common/type-defs.js';
import { LIMITS } from '../../gateway/limits.js';
import { MemoryRateLimitStore } from '../../gateway/rate-limit.js';
import type { SubgraphName } from '../../common/env.js';
import { withLuhnDigit } from '../../common/luhn.js';
import { encodeCursor } from '../../common/pagination.js';
import { SCOPES } from '../../common/viewer.js';
import { createCra } from '../support/factories/activity.js';
import { createConvention } from '../support/factories/conventions.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { createTrainingPath, createLearner, createLot, createSession } from '../support/factories/training.js';
import { uniqueId } from '../support/ids.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Schema-driven fuzzing of the whole system (issue 11 §4): operations built from the supergraph's Query and
 * Mutation fields, their arguments and input types, sent by every kind of caller, with valid values mixed with
 * wrong types, out-of-range numbers, impossible dates, NUL characters, huge strings, forged cursors, unknown ids
 * and missing arguments, plus malformed HTTP bodies. Whatever the client got wrong, the answer must say so: never
 * INTERNAL_SERVER_ERROR, never SUBGRAPH_UNAVAILABLE (every service is up), never a 5xx status, never an HTML page.
 *
 * Deterministic: case `n` of a caller is drawn from its own generator seeded by (FUZZ_SEED, caller, n), so a
 * failure printed with its seed is reproduced by `FUZZ_SEED=<seed> npm run test:jest -- test/gateway/fuzz.test.ts`
 * (or by replaying the printed query); FUZZ_QUERIES=800 runs a longer campaign (the default, 250 per caller, is
 * about a minute on CI's 2 cores). Failures are replayed one by one with the services' logs captured, and grouped by cause: the
 * service that logged the error (subgraph side) or the gateway.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const PER_CALLER = Number(process.env.FUZZ_QUERIES ?? 250);
const CONCURRENCY = 4;
/** Chance that a leaf value (or an argument's presence) is one of the client's mistakes. */
const MISTAKE = 0.15;
const MAX_SELECTION_DEPTH = 3;

type Rng = () => number;
function rng(...seeds: number[]): Rng {
  // mulberry32 over a mix of the seeds
  let a = seeds.reduce((h, s) => Math.imul(h ^ s, 0x9e3779b1) >>> 0, 0x2545f491);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const sample = <T>(r: Rng, items: readonly T[], n: number): T[] => [...items].sort(() => r() - 0.5).slice(0, n);

/** An enum value: printed bare in a literal, as its name in variables. */
class EnumValue {
  constructor(readonly name: string) {}
  toJSON(): string {
    return this.name;
  }
}
type Value = null | boolean | number | string | EnumValue | Value[] | { [field: string]: Value };

function literal(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof EnumValue) return value.name;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ')} }`;
}

const forge = (text: string) => Buffer.from(text).toString('base64url');
/** Cursors no list ever returns, whatever it sorts on: garbage, the old formats, NUL, wrong shapes, operators. */
const FORGED_CURSORS = [
  'not a cursor!',
  forge('c:2024-02-30|1'),
  forge('c:abc'),
  forge('c:["not a date",1]'),
  forge('c:1:2:3'),
  encodeCursor('name:ASC', ['a\u0000b', 1]),
  encodeCursor('id:ASC', [-1]),
  encodeCursor('id:ASC', ['x', 'y']),
  // another list's or sort order's cursor
  encodeCursor('lastName:DESC', [1]),
  forge('[{"$gt":0}]'),
  'A'.repeat(3000),
];
/** Impossible days and instants: forged for a list sorted by date, a fair name for one sorted by text. */
const IMPOSSIBLE_DATE_CURSORS = [
  encodeCursor('date:DESC', ['2024-02-30', 1]),
  encodeCursor('startDate:ASC', ['0000-00-00', 1]),
  encodeCursor('createdAt:ASC', ['99999-01-01T00:00:00.000Z', 1]),
];

interface Fixtures {
  ids: Record<string, number[]>;
  cursors: string[];
}

/** The id an argument most likely means, from its name (or the root field's for a bare `id`). */
const ID_HINTS: [RegExp, string][] = [
  [/miseenrelation|match|mer\b/, 'miseEnRelation'],
  [/structure|employer|target|source/, 'structure'],
  [/conseiller|candidate|advisor|person|learner|coordinat/, 'conseiller'],
  [/convention|agreement|tranche|amendment|post/, 'convention'],
  [/session/, 'session'],
  [/lot|body|holder/, 'lot'],
  [/path|training/, 'trainingPath'],
  [/cra|report/, 'cra'],
];
const UNKNOWN_ID = '2140000001';

function validId(name: string, fixtures: Fixtures, r: Rng): string {
  if (r() < 0.1) return UNKNOWN_ID;
  const hint = ID_HINTS.find(([pattern]) => pattern.test(name.toLowerCase()))?.[1];
  return String(pick(r, hint ? fixtures.ids[hint]! : Object.values(fixtures.ids).flat()));
}

function validString(name: string, fixtures: Fixtures, r: Rng): string {
  const n = name.toLowerCase();
  if (n === 'after') return pick(r, fixtures.cursors);
  if (n.includes('departement') || n === 'code') return '48';
  if (n.includes('region')) return '76';
  if (n.includes('commune')) return '48095';
  if (n.includes('postal')) return '48000';
  if (n.includes('siret')) return withLuhnDigit('1300553000001');
  if (n.includes('siren')) return '732829320';
  if (n.includes('email')) return 'fuzz@example.org';
  if (n.includes('phone')) return '0601020304';
  if (n.includes('url') || n.includes('website')) return 'https://example.org';
  if (n.includes('duration')) return pick(r, ['0-30', '30-60', '90']);
  return pick(r, ['Fuzz', 'Mende', 'Hélène Dupré-Martin', 'a', 'ÉCOLE', 'fuzz 1']);
}

function validInt(name: string, r: Rng): number {
  const n = name.toLowerCase();
  if (n === 'first') return pick(r, [1, 5, 20, 100]);
  if (n === 'last') return pick(r, [1, 2, 5]);
  if (n.includes('year')) return pick(r, [2023, 2024]);
  if (n.includes('hours')) return pick(r, [35, 70, 105, 140, 175, 280]);
  return 1 + Math.floor(r() * 10);
}

const VALID_DATES = ['2024-01-15', '2024-03-01', '2025-06-30', '2023-12-31', '2024-02-29'];
const BAD: Record<string, Value[]> = {
  ID: ['abc', '0', '-5', '1e3', '1.5', ' 7', '3000000000', '99999999999999999999', '', UNKNOWN_ID],
  String: ['', 'a\u0000b', '\u0000', 'x'.repeat(20_000), "'; drop table structure; --", '%_\\', '😀'.repeat(50), ' \n\t'],
  Int: [2147483648, -2147483649, 2147483647, -2147483648, -1, 0, 101, 1_000_000, 1.5],
  Float: [1e308, -1e308, 0],
  SafeInt: [2 ** 53, -1, 0, 1.5],
  Boolean: ['true', 1],
  Date: [
    '2024-02-30',
    '0000-00-00',
    '99999-01-01',
    '2024-13-01',
    '2024-1-5',
    '',
    'yesterday',
    '2024-02-29T10:00:00Z',
    '0000-01-01',
    '0001-01-01',
    '9999-12-31',
    '1000-01-01',
    '2999-12-31',
  ],
  DateTime: [
    '2024-02-30T10:00:00Z',
    '0000-00-00T00:00:00Z',
    '99999-01-01T00:00:00Z',
    'now',
    '2024-01-01',
    '',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '1000-01-01T00:00:00Z',
    '2999-12-31T23:59:59Z',
  ],
};
const WRONG_TYPES: Value[] = [12345, true, 'text', [], { nested: 1 }, 1.5, [[1]]];

/** A value for an input type: valid most of the time, else one of the client's mistakes. */
function generate(type: GraphQLInputType, name: string, r: Rng, fixtures: Fixtures, depth = 0): Value {
  if (isNonNullType(type)) return r() < MISTAKE / 4 ? null : generate(type.ofType, name, r, fixtures, depth);
  if (isListType(type)) {
    const length = r() < 0.1 ? 0 : 1 + Math.floor(r() * 2);
    return Array.from({ length }, () => generate(type.ofType, name, r, fixtures, depth + 1));
  }
  if (isInputObjectType(type)) {
    if (depth > 4 || r() < MISTAKE / 5) return pick(r, WRONG_TYPES);
    const object: Record<string, Value> = {};
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (required ? r() < MISTAKE / 5 : r() < 0.6) continue;
      object[field.name] = generate(field.type, field.name, r, fixtures, depth + 1);
    }
    return object;
  }
  const mistake = r() < MISTAKE;
  if (mistake && r() < 0.3) return pick(r, WRONG_TYPES);
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name);
    if (mistake) return pick(r, [new EnumValue('NOT_A_VALUE'), pick(r, values), pick(r, values).toLowerCase()]);
    return new EnumValue(pick(r, values));
  }
  if (mistake) return pick(r, name === 'after' ? [...FORGED_CURSORS, ...IMPOSSIBLE_DATE_CURSORS] : (BAD[type.name] ?? BAD.String!));
  switch (type.name) {
    case 'ID':
      return validId(name, fixtures, r);
    case 'Int':
      return validInt(name, r);
    case 'SafeInt':
      return pick(r, [100_000, 3_200_000]);
    case 'Float':
      return pick(r, [1.5, 40, 0.25]);
    case 'Boolean':
      return r() < 0.5;
    case 'Date':
      return pick(r, VALID_DATES);
    case 'DateTime':
      return `${pick(r, VALID_DATES)}T10:00:00Z`;
    default:
      return validString(name, fixtures, r);
  }
}

interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

class OperationBuilder {
  private readonly definitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  constructor(
    private readonly r: Rng,
    private readonly fixtures: Fixtures,
  ) {}

  /** Arguments of a field: required ones (each sometimes left out), optional ones now and then. */
  arguments(args: readonly GraphQLArgument[], hint: string, optionalChance: number): string {
    const parts: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (required ? this.r() < MISTAKE / 5 : this.r() >= optionalChance) continue;
      const value = generate(arg.type, arg.name === 'id' ? `${hint}Id` : arg.name, this.r, this.fixtures);
      if (this.r() < 0.5) {
        const variable = `v${this.definitions.length}`;
        this.definitions.push(`$${variable}: ${String(arg.type)}`);
        this.variables[variable] = JSON.parse(JSON.stringify(value)) as unknown;
        parts.push(`${arg.name}: $${variable}`);
      } else {
        parts.push(`${arg.name}: ${literal(value)}`);
      }
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** A few scalars and, above the depth limit, one or two nested fields of the type. */
  selection(type: GraphQLNamedType, depth: number): string {
    if (isLeafType(type)) return '';
    if (isUnionType(type)) {
      const members = sample(this.r, type.getTypes(), 2).map((member) => `... on ${member.name} ${this.selection(member, depth)}`);
      return `{ __typename ${members.join(' ')} }`;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) return '';
    const fields = Object.values(type.getFields());
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type)));
    const nested = depth < MAX_SELECTION_DEPTH ? fields.filter((f) => !isLeafType(getNamedType(f.type))) : [];
    const chosen = [...sample(this.r, leaves, 1 + Math.floor(this.r() * 3)), ...sample(this.r, nested, Math.floor(this.r() * 3))];
    const parts = chosen.map((f) => this.field(f, depth + 1));
    return `{ __typename ${parts.join(' ')} }`;
  }

  field(field: GraphQLField<unknown, unknown>, depth: number): string {
    return `${field.name}${this.arguments(field.args, field.name, depth === 0 ? 0.5 : 0.3)} ${this.selection(getNamedType(field.type), depth)}`;
  }

  operation(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Operation {
    const body = this.field(field, 0);
    const definitions = this.definitions.length ? `(${this.definitions.join(', ')})` : '';
    return { query: `${kind}${definitions} { ${body} }`, variables: this.variables };
  }
}

interface Caller {
  name: string;
  headers: () => Promise<Record<string, string>>;
}

interface Sent {
  caller: string;
  /** What reproduces it: the seed and the case number, or the malformed request's name. */
  origin: string;
  request: { body: string; headers: Record<string, string>; method?: string; path?: string };
  status: number;
  text: string;
  codes: string[];
  html: boolean;
  json: boolean;
}

let system: TestSystem;
let fixtures: Fixtures;
let callers: Caller[];
const sent: Sent[] = [];

async function send(caller: string, origin: string, request: Sent['request']): Promise<Sent> {
  const res = await fetch(new URL(request.path ?? '/', system.gatewayUrl), {
    method: request.method ?? 'POST',
    headers: request.headers,
    body: request.method === 'GET' ? undefined : request.body,
  });
  const text = await res.text();
  let codes: string[] = [];
  let json = true;
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE');
  } catch {
    json = false;
  }
  const html = /text\/html/.test(res.headers.get('content-type') ?? '') || text.trimStart().startsWith('<');
  return { caller, origin, request, status: res.status, text, codes, html, json };
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** A few requests no client library would send, as a hostile or broken client does. */
function malformedRequests(): { name: string; request: Sent['request'] }[] {
  const json = { 'content-type': 'application/json' };
  const body = (value: unknown) => JSON.stringify(value);
  return [
    { name: 'not JSON', request: { headers: json, body: '{ structures { id } }' } },
    { name: 'truncated JSON', request: { headers: json, body: '{"query": "{ __typename }"' } },
    { name: 'a JSON string body', request: { headers: json, body: '"{ __typename }"' } },
    { name: 'a JSON number body', request: { headers: json, body: '42' } },
    { name: 'an empty batch', request: { headers: json, body: '[]' } },
    { name: 'no query', request: { headers: json, body: '{}' } },
    { name: 'a number as the query', request: { headers: json, body: body({ query: 5 }) } },
    { name: 'variables as a string', request: { headers: json, body: body({ query: '{ __typename }', variables: 'x' }) } },
    { name: 'text/plain', request: { headers: { 'content-type': 'text/plain' }, body: '{ __typename }' } },
    { name: 'bad gzip', request: { headers: { ...json, 'content-encoding': 'gzip' }, body: 'not gzip at all' } },
    {
      name: 'unknown charset',
      request: { headers: { 'content-type': 'application/json; charset=klingon' }, body: body({ query: '{ __typename }' }) },
    },
    {
      name: 'over the body limit',
      request: {
        headers: json,
        body: body({ query: `{ structures(filter: { search: "${'x'.repeat(LIMITS.bodyBytes)}" }) { totalCount } }` }),
      },
    },
    {
      name: 'a GET with a broken query',
      request: { method: 'GET', path: '/?query=%7B', headers: { 'apollo-require-preflight': 'true' }, body: '' },
    },
    {
      name: 'several operations, no operationName',
      request: { headers: json, body: body({ query: 'query A { __typename } query B { __typename }' }) },
    },
    { name: 'an unknown operationName', request: { headers: json, body: body({ query: 'query A { __typename }', operationName: 'B' }) } },
    {
      name: 'an APQ hash that does not match',
      request: {
        headers: json,
        body: body({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
      },
    },
    {
      name: 'an unknown APQ hash, no query',
      request: { headers: json, body: body({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }) },
    },
    {
      name: 'brackets nested 200 deep',
      request: { headers: json, body: body({ query: `{ ${'a { '.repeat(200)}b${' }'.repeat(200)} }` }) },
    },
    {
      name: 'a raw NUL in the query text',
      request: { headers: json, body: body({ query: '{ structures(filter: { search: "a\u0000b" }) { totalCount } }' }) },
    },
  ];
}

/** The gateway's and subgraphs' log lines written while `run` runs (they are silent in tests otherwise). */
async function capturingLogs(run: () => Promise<Sent>): Promise<{ replayed: Sent; logs: string[] }> {
  const logs: string[] = [];
  const write = process.stderr.write;
  const level = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'warn';
  process.stderr.write = ((chunk: string | Uint8Array) => logs.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    return { replayed: await run(), logs };
  } finally {
    process.stderr.write = write;
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  }
}

const SUBGRAPHS: readonly string[] = ['recruitment', 'conventions', 'training', 'activity'];
const generalise = (text: string) =>
  text
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .replace(/ path=.*$/, '')
    .slice(0, 160);

/** Which side owes the fix, from what the services logged when the request was replayed alone. */
function causeOf(failure: Sent, logs: string[]): string {
  if (failure.html) return 'gateway: the body parser answers with an HTML page';
  if (!failure.json) return `gateway: a ${failure.status} body that is not JSON`;
  const lines = logs.map((l) => /\[(\w+)\] (.*)$/m.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const gateway = lines.find((m) => m[1] === 'gateway');
  // A subgraph's formatError logs what it masks (source `errors`); the gateway's line names the subgraph.
  const masked = lines.find((m) => m[1] === 'errors' || SUBGRAPHS.includes(m[1]!));
  if (masked) return `subgraph ${/subgraph=(\w+)/.exec(gateway?.[2] ?? '')?.[1] ?? masked[1]}: ${generalise(masked[2]!)}`;
  if (gateway) return `gateway: ${generalise(gateway[2]!)}`;
  return `gateway: HTTP ${failure.status} with ${failure.codes.join(', ')}, nothing logged`;
}

/** Failures grouped by cause, each with its count, the cases to rerun and a few requests with their answers. */
async function explain(failures: Sent[]): Promise<string[]> {
  const byCause = new Map<string, Sent[]>();
  for (const failure of failures.slice(0, 300)) {
    const { replayed, logs } = await capturingLogs(() => send(failure.caller, failure.origin, failure.request));
    const cause = causeOf(replayed, logs);
    byCause.set(cause, [...(byCause.get(cause) ?? []), failure]);
  }
  return [...byCause].map(([cause, cases]) => {
    const examples = cases.slice(0, 3).map(
      (c) => `  ${c.caller}, ${c.origin}
    request: ${c.request.body.slice(0, 1200)}
    response ${c.status}: ${c.text.slice(0, 500)}`,
    );
    const others = cases.slice(3, 23).map((c) => `${c.caller} ${c.origin.replace(/^FUZZ_SEED=\d+ /, '')}`);
    return [`${cases.length}× ${cause}`, ...examples, ...(others.length ? [`  also: ${others.join('; ')}`] : [])].join('\n');
  });
}

const MENDE = { communeCode: '48095', communeName: 'Mende', departementCode: '48', regionCode: '76', latitude: 44.5181, longitude: 3.5006 };
const LIFTED = { capacity: 1_000_000, restoreRate: 1_000_000 };

beforeAll(async () => {
  system = await startTestSystem({
    limits: {
      store: new MemoryRateLimitStore(),
      buckets: { user: LIFTED, api_key: LIFTED, anonymous: LIFTED },
      mutationBuckets: { minute: LIFTED, hour: LIFTED },
    },
  });
  const { recruitment, conventions, training, activity } = system.orms;
  const structure = await createStructure(recruitment, MENDE);
  const advisor = await createConseiller(recruitment, { ...MENDE, structureId: structure.id });
  const candidate = await createConseiller(recruitment, MENDE);
  const match = await createMiseEnRelation(recruitment, { structureId: structure.id, conseillerId: candidate.id, status: 'INTERESSEE' });
  const convention = await createConvention(conventions, { structureId: structure.id, departementCode: '48', regionCode: '76' });
  const trainingPath = await createTrainingPath(training, { conseillerId: advisor.id });
  const lot = await createLot(training);
  const session = await createSession(training, { lotId: lot.id, departementCode: '48', place: 'Mende' });
  await createLearner(training, { conseillerId: advisor.id, structureId: structure.id, departementCode: '48', regionCode: '76' });
  const cra = await createCra(activity, { conseillerId: advisor.id, structureId: structure.id, communeCode: '48095', postalCode: '48000' });
  fixtures = {
    ids: {
      structure: [structure.id],
      conseiller: [advisor.id, candidate.id],
      miseEnRelation: [match.id],
      convention: [convention.id],
      trainingPath: [trainingPath.id],
      lot: [lot.id],
      session: [session.id],
      cra: [cra.id],
    },
    cursors: [
      encodeCursor('id:ASC', [structure.id]),
      encodeCursor('id:DESC', [structure.id]),
      encodeCursor('date:DESC', ['2024-03-01', cra.id]),
      encodeCursor('distance:ASC', [12.5, candidate.id]),
    ],
  };
  const key = (await system.apiKeys.create({ name: `fuzz ${uniqueId()}`, scopes: [...SCOPES] })).key;
  const user = (claims: Record<string, unknown>) => () => system.bearer({ sub: `fuzz-${uniqueId()}`, ...claims });
  callers = [
    { name: 'admin', headers: user({ role: 'admin' }) },
    { name: 'prefet', headers: user({ role: 'prefet', departements: ['48'] }) },
    { name: 'hub', headers: user({ role: 'hub', regions: ['76'] }) },
    { name: 'grand_reseau', headers: user({ role: 'grand_reseau', network: 'LA_POSTE' }) },
    { name: 'coordinateur', headers: user({ role: 'coordinateur', conseiller_ids: [advisor.id] }) },
    { name: 'structure', headers: user({ role: 'structure', structure_ids: [structure.id] }) },
    { name: 'conseiller', headers: user({ role: 'conseiller', conseiller_ids: [advisor.id] }) },
    { name: 'partner key', headers: async () => ({ authorization: `Bearer ${key}` }) },
    { name: 'anonymous', headers: async () => ({}) },
  ];
});

afterAll(async () => {
  await system?.stop();
});

describe('schema-driven fuzzing through the gateway', () => {
  const schema = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
  const roots: ['query' | 'mutation', GraphQLObjectType][] = [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ];

  beforeAll(async () => {
    const cases: { caller: Caller; headers: Record<string, string>; n: number }[] = [];
    for (const caller of callers) {
      const headers = { 'content-type': 'application/json', ...(await caller.headers()) };
      for (let n = 0; n < PER_CALLER; n++) cases.push({ caller, headers, n });
    }
    const started = Date.now();
    await inBatches(cases, async ({ caller, headers, n }) => {
      const r = rng(SEED, callers.indexOf(caller), n);
      const [kind, root] = r() < 0.65 ? roots[0]! : roots[1]!;
      const operation = new OperationBuilder(r, fixtures).operation(kind, pick(r, Object.values(root.getFields())));
      sent.push(await send(caller.name, `FUZZ_SEED=${SEED} case ${n}`, { headers, body: JSON.stringify(operation) }));
    });
    for (const { name, request } of malformedRequests()) sent.push(await send('anonymous', `malformed request: ${name}`, request));

    const counts = new Map<string, number>();
    for (const s of sent)
      for (const code of s.codes.length ? new Set(s.codes) : ['(no error)']) counts.set(code, (counts.get(code) ?? 0) + 1);
    const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([code, count]) => `  ${code.padEnd(32)} ${count}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${sent.length} requests in ${seconds} s (seed ${SEED}, ${PER_CALLER} per caller × ${callers.length} callers); responses carrying each code:\n${summary.join('\n')}`,
    );
  }, 240_000);

  test('no answer is an HTML page or anything but JSON', async () => {
    expect(await explain(sent.filter((s) => s.html || !s.json))).toEqual([]);
  }, 120_000);

  test('no client mistake is answered INTERNAL_SERVER_ERROR', async () => {
    expect(await explain(sent.filter((s) => s.json && s.codes.includes('INTERNAL_SERVER_ERROR')))).toEqual([]);
  }, 120_000);

  test('no client mistake is answered with a 5xx status', async () => {
    expect(await explain(sent.filter((s) => s.json && s.status >= 500))).toEqual([]);
  }, 120_000);

  test('no client mistake is answered SUBGRAPH_UNAVAILABLE while every service is up', async () => {
    expect(await explain(sent.filter((s) => s.json && s.codes.includes('SUBGRAPH_UNAVAILABLE')))).toEqual([]);
  }, 120_000);
});

describe('NUL characters never reach PostgreSQL', () => {
  /** A list of each subgraph filtered by a text column. */
  const LISTS: Record<SubgraphName, string> = {
    recruitment: 'structures',
    conventions: 'conventions',
    training: 'trainingSessions',
    activity: 'places',
  };
  const cases = Object.entries(LISTS).flatMap(([subgraph, list]) => [
    {
      subgraph,
      how: 'in a literal',
      query: `{ ${list}(filter: { departementCode: "4\\u00008" }) { __typename } }`,
      variables: {},
      field: 'filter.departementCode',
    },
    {
      subgraph,
      how: 'in a variable',
      query: `query ($f: String) { ${list}(filter: { departementCode: $f }) { __typename } }`,
      variables: { f: '4\u00008' },
      field: '$f',
    },
  ]);

  test.each(cases)('$subgraph, $how, through the gateway: BAD_USER_INPUT naming it', async ({ query, variables, field }) => {
    const response = await system.query(query, variables, await callers[0]!.headers());
    expect(response.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
    expect(response.status).toBe(400);
  });

  test.each(cases)(
    '$subgraph, $how, sent to the subgraph itself: BAD_USER_INPUT naming it',
    async ({ subgraph, query, variables, field }) => {
      const response = await system.querySubgraph(subgraph as SubgraphName, query, variables);
      expect(response.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
    },
  );
});

describe('every list refuses a cursor it did not hand out', () => {
  const schema = buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });
  /** Arguments a list needs before it reads its cursor (an indexed scope, a structure with a location). */
  const scope = (list: string): string =>
    ({
      cras: `filter: { conseillerId: "${fixtures.ids.conseiller![0]}" }`,
      places: `filter: { structureId: "${fixtures.ids.structure![0]}" }`,
      nearestCandidates: `structureId: "${fixtures.ids.structure![0]}"`,
      trainingFollowUp: 'filter: {}',
    })[list] ?? '';
  /** Every paged root field, once per sort order it offers (each sort has its own cursor shape). */
  const lists = Object.values(schema.getQueryType()!.getFields())
    .filter((f) => f.args.some((a) => a.name === 'after'))
    .flatMap((f) => {
      const order = f.args.find((a) => a.name === 'orderBy');
      const orderType = order && getNamedType(order.type);
      const fieldType = orderType && isInputObjectType(orderType) ? getNamedType(orderType.getFields().field!.type) : undefined;
      const orders = fieldType && isEnumType(fieldType) ? fieldType.getValues().map((v) => `orderBy: { field: ${v.name} }`) : [''];
      return orders.map((orderBy) => ({ list: f.name, orderBy }));
    });

  test('the supergraph has paged lists to check', () => {
    expect(lists.length).toBeGreaterThanOrEqual(10);
  });

  test.each(lists)('$list $orderBy', async ({ list, orderBy }) => {
    const headers = await callers[0]!.headers();
    const problems: string[] = [];
    for (const cursor of [...FORGED_CURSORS, ...IMPOSSIBLE_DATE_CURSORS]) {
      const args = [scope(list), orderBy, 'after: $after'].filter(Boolean).join(', ');
      const response = await system.query(`query ($after: String) { ${list}(${args}) { __typename } }`, { after: cursor }, headers);
      const extensions = response.errors?.map((e) => e.extensions);
      const refused = extensions?.length === 1 && extensions[0]?.code === 'BAD_USER_INPUT' && extensions[0]?.field === 'after';
      if (!refused && !(IMPOSSIBLE_DATE_CURSORS.includes(cursor) && !response.errors)) {
        problems.push(`${cursor.slice(0, 60)} → ${JSON.stringify(response).slice(0, 300)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
