import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CertificationAttempt, ModuleRegistration } from '../../subgraphs/training/entities/index.js';
import { createLearner, createLot, createModule, createSession, createTrainingPath } from '../support/factories/training.js';
import { failsWith, succeeds, type Data } from '../support/graphql.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/** Every list and nested field resolves in a number of statements that does not grow with the list. */
let training: TestSubgraph;
beforeAll(async () => {
  training = await openTestSubgraph('training');
});
afterAll(async () => {
  await training.close();
});

describe('statement counts', () => {
  test('Conseiller training fields for 10 or 100 advisors: the same statements', async () => {
    const module = await createModule(training.orm);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const conseillerId = uniqueId();
      ids.push(conseillerId);
      await createLearner(training.orm, { conseillerId });
      await createTrainingPath(training.orm, {
        conseillerId,
        hours: 175,
        status: 'COMPLETED',
        startDate: '2024-03-01',
        endDate: '2024-04-30',
      });
    }
    const em = training.orm.em.fork();
    for (const conseillerId of ids.filter((_, i) => i % 3 === 0)) {
      em.create(CertificationAttempt, { conseillerId, type: 'CCP1', attempt: 1, date: '2024-06-01', result: 'PASSED' });
      em.create(ModuleRegistration, { conseillerId, module: module.id, date: '2024-07-01', status: 'ATTENDED' });
    }
    await em.flush();

    const query = /* GraphQL */ `
      query ($r: [_Any!]!) {
        _entities(representations: $r) {
          ... on Conseiller {
            id
            certificationLevel
            certificationProgress(asOf: "2025-01-01") {
              overdue
            }
            continuingEducation(asOf: "2025-01-01") {
              late
            }
            exemption {
              reason
            }
            trainingPath {
              id
              absences {
                id
              }
              unjustifiedAbsenceHours
              session {
                id
              }
            }
            trainingPaths {
              id
            }
            certifications {
              type
            }
            moduleRegistrations {
              module {
                code
              }
            }
          }
        }
      }
    `;
    const cost = async (n: number) => {
      const { result, total } = await countStatements(training.orm, () =>
        training.execute(query, { r: ids.slice(0, n).map((id) => ({ __typename: 'Conseiller', id: String(id) })) }),
      );
      const entities = (await succeeds(result))._entities;
      expect(entities.filter((e: Data) => e.certificationLevel === 'CCP1')).toHaveLength(Math.ceil(n / 3));
      return total;
    };
    const small = await cost(10);
    expect(await cost(100)).toBe(small);
    // Facts for the rules (learner, paths, attempts, registrations) + paths, certifications, registrations, modules, absences.
    expect(small).toBe(9);
  });

  test('a page of sessions with their lot, body and paths: the same statements for 2 or 20 sessions', async () => {
    const lot = await createLot(training.orm);
    const departementCode = '29';
    const startDate = `2026-0${1 + (uniqueId() % 9)}-0${1 + (uniqueId() % 9)}`;
    for (let i = 0; i < 20; i++) {
      const session = await createSession(training.orm, { lotId: lot.id, departementCode, startDate, endDate: '2026-12-31' });
      await createTrainingPath(training.orm, {
        conseillerId: uniqueId(),
        hours: 175,
        status: 'ENROLLED',
        session,
        startDate,
        endDate: '2026-12-31',
      });
    }
    const query = `query ($n: Int!, $d: Date!) { trainingSessions(first: $n, filter: { departementCode: "29", startingFrom: $d }) { totalCount edges { node {
      id trainingBody { name lots { id } } lot { contract } enrolledCount trainingPaths { id conseiller { id } } } } } }`;
    const cost = async (n: number) => {
      const { result, total } = await countStatements(training.orm, () => training.execute(query, { n, d: startDate }));
      const page = (await succeeds(result)).trainingSessions.edges;
      expect(page).toHaveLength(n);
      expect(page.every((e: Data) => e.node.enrolledCount >= 1)).toBe(true);
      return total;
    };
    const small = await cost(2);
    expect(await cost(20)).toBe(small);
    // Page + count, lots, bodies, lots by holder, seat counts, visible seated paths.
    expect(small).toBe(7);
  });

  test('sessions page by start date then id, with cursors', async () => {
    const lot = await createLot(training.orm);
    for (const startDate of ['2027-03-01', '2027-01-04', '2027-02-01', '2027-01-04']) {
      await createSession(training.orm, { lotId: lot.id, startDate, endDate: '2027-06-30', departementCode: '2B', hours: 70 });
    }
    const query = `query ($after: String) { trainingSessions(first: 3, after: $after, filter: { departementCode: "2B", hours: 70, startingFrom: "2027-01-01" }) { pageInfo { hasNextPage endCursor } edges { node { startDate } } } }`;
    const first = await succeeds(training.execute(query));
    expect(first.trainingSessions.pageInfo.hasNextPage).toBe(true);
    expect(first.trainingSessions.edges.map((e: Data) => e.node.startDate)).toEqual(['2027-01-04', '2027-01-04', '2027-02-01']);
    const rest = await succeeds(training.execute(query, { after: first.trainingSessions.pageInfo.endCursor }));
    expect(rest.trainingSessions).toMatchObject({ pageInfo: { hasNextPage: false }, edges: [{ node: { startDate: '2027-03-01' } }] });
    expect(await failsWith('BAD_USER_INPUT', training.execute(query, { after: 'bad' }))).toMatchObject({ field: 'after' });
  });
});
