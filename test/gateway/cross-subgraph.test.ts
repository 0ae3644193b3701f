import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createCra } from '../support/factories/activity.js';
import { createConvention } from '../support/factories/conventions.js';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { createTrainingPath } from '../support/factories/training.js';
import { countStatements } from '../support/sql-counter.js';
import { failsWith } from '../support/graphql.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'cross-subgraph', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

const STRUCTURE_OVERVIEW = /* GraphQL */ `
  query ($id: ID!) {
    structure(id: $id) {
      id
      name
      sector
      conventions {
        phase
        status
        postsCount
        amountCents
        startDate
      }
      conseillers {
        id
        lastName
        trainingPaths {
          hours
          status
        }
        cras(last: 2) {
          date
          activityType
          participants
          structure {
            id
          }
        }
      }
    }
  }
`;

describe('one query across the four subgraphs', () => {
  test('recruitment → conventions, training and activity, answered through the gateway', async () => {
    const structure = await createStructure(system.orms.recruitment, { type: 'PRIVATE' });
    const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
    await createConvention(system.orms.conventions, { structureId: structure.id, amountCents: 32_000_00 });
    await createTrainingPath(system.orms.training, { conseillerId: advisor.id, hours: 280 });
    await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: '2024-01-10' });
    await createCra(system.orms.activity, {
      conseillerId: advisor.id,
      structureId: structure.id,
      date: '2024-02-10',
      activityType: 'COLLECTIF',
      participants: 6,
    });
    await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id, date: '2023-12-01' });

    const response = await system.query(STRUCTURE_OVERVIEW, { id: String(structure.id) }, admin);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      structure: {
        id: String(structure.id),
        name: structure.name,
        sector: 'PRIVATE',
        conventions: [
          { phase: 'PHASE_1', status: 'CONVENTIONNEMENT_VALIDE', postsCount: 1, amountCents: 32_000_00, startDate: '2022-01-01' },
        ],
        conseillers: [
          {
            id: String(advisor.id),
            lastName: advisor.lastName,
            trainingPaths: [{ hours: 280, status: 'COMPLETED' }],
            cras: [
              { date: '2024-02-10', activityType: 'COLLECTIF', participants: 6, structure: { id: String(structure.id) } },
              { date: '2024-01-10', activityType: 'INDIVIDUEL', participants: 1, structure: { id: String(structure.id) } },
            ],
          },
        ],
      },
    });
  });

  test('a list crossing the four subgraphs costs the same number of statements for 2 or 12 structures', async () => {
    const departementCode = `9${String(Date.now() % 100).padStart(2, '0')}`.slice(0, 3);
    const cost = async (n: number) => {
      const regionCode = String(10 + n); // a region code per size keeps the two lists apart
      for (let i = 0; i < n; i++) {
        const structure = await createStructure(system.orms.recruitment, { departementCode, regionCode });
        const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
        await createConvention(system.orms.conventions, { structureId: structure.id });
        await createTrainingPath(system.orms.training, { conseillerId: advisor.id });
        await createCra(system.orms.activity, { conseillerId: advisor.id, structureId: structure.id });
      }
      const { result, total } = await countStatements(Object.values(system.orms), () =>
        system.query(
          `query ($region: String!) { structures(first: 20, filter: { regionCode: $region }) { totalCount edges { node {
             id conventions { id } conseillers { id trainingPaths { id } cras(last: 5) { id } } } } } }`,
          { region: regionCode },
          admin,
        ),
      );
      expect(result.errors).toBeUndefined();
      expect((result.data as { structures: { totalCount: number } }).structures.totalCount).toBe(n);
      return total;
    };
    const small = await cost(2);
    const large = await cost(12);
    expect(large).toBe(small);
  });
});

describe('errors', () => {
  test('an unknown id is null, a malformed id is BAD_USER_INPUT naming the field', async () => {
    const missing = await system.query('{ structure(id: "2147000000") { id } }', undefined, admin);
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ structure: null });

    const bad = await system.query('{ structure(id: "abc") { id } }', undefined, admin);
    expect(bad.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id', serviceName: 'recruitment' });
  });

  test('a page larger than 100 is refused, not clamped', async () => {
    const response = await system.query('{ structures(first: 101) { totalCount } }', undefined, admin);
    expect((await failsWith('BAD_USER_INPUT', response)).message).toMatch(/between 1 and 100/);
  });

  test('no stack trace reaches the client', async () => {
    const response = await system.query('{ structure(id: "abc") { id } }', undefined, admin);
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});

describe('HTTP endpoints', () => {
  test('/health answers while the process lives; /ready checks every subgraph', async () => {
    const health = await fetch(new URL('/health', system.gatewayUrl));
    expect(health.status).toBe(200);
    const ready = await fetch(new URL('/ready', system.gatewayUrl));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: { recruitment: true, conventions: true, training: true, activity: true },
    });
  });

  test('the playground is a self-contained GraphiQL page: no script or stylesheet from another host', async () => {
    const res = await fetch(system.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    // GraphiQL's bundle is a file of the gateway's own (landing-page.test.ts checks the files).
    expect(html).toMatch(/<script src="\/playground\/graphiql\.[0-9a-f]{12}\.js">/);
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    expect(html).not.toMatch(/cdn\.apollographql\.com|fonts\.googleapis\.com|unpkg\.com|jsdelivr/);
  });
});
