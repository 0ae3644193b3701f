import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { SubgraphName } from '../../common/env.js';
import { createCra } from '../support/factories/activity.js';
import { createConvention } from '../support/factories/conventions.js';
import { createStructure } from '../support/factories/recruitment.js';
import { createTrainingPath } from '../support/factories/training.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { succeeds } from '../support/graphql.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

/**
 * The gateway resolves lists of references with one `_entities` call per subgraph; each subgraph must answer
 * 100 representations with one SQL statement per entity type (no N+1 in __resolveReference or entity fields).
 */
const opened: Partial<Record<SubgraphName, TestSubgraph>> = {};
const open = async (name: SubgraphName) => (opened[name] ??= await openTestSubgraph(name));
afterAll(async () => {
  for (const s of Object.values(opened)) await s.close();
});

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ...F } }`;
const representations = (typename: string, ids: number[]) => ids.map((id) => ({ __typename: typename, id: String(id) }));

describe('_entities: 100 representations → one statement per entity type', () => {
  let recruitment: TestSubgraph;
  beforeAll(async () => {
    recruitment = await open('recruitment');
  });

  test('recruitment resolves 100 Structure references with one SELECT', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push((await createStructure(recruitment.orm)).id);
    const { result, total, statements } = await countStatements(recruitment.orm, () =>
      recruitment.execute(`${ENTITIES} fragment F on Structure { id name status }`, { representations: representations('Structure', ids) }),
    );
    const data = await succeeds<{ _entities: { id: string }[] }>(result);
    expect(data._entities.map((e) => Number(e.id))).toEqual(ids);
    expect({ total, statements: statements.length }).toEqual({ total: 1, statements: 1 });
  });

  test('conventions answers Structure.conventions for 100 structures with one SELECT', async () => {
    const conventions = await open('conventions');
    const ids = Array.from({ length: 100 }, () => uniqueId());
    for (const structureId of ids.slice(0, 30)) await createConvention(conventions.orm, { structureId });
    const { result, total } = await countStatements(conventions.orm, () =>
      conventions.execute(`${ENTITIES} fragment F on Structure { id conventions { id postsCount } }`, {
        representations: representations('Structure', ids),
      }),
    );
    const entities = (await succeeds<{ _entities: { conventions: unknown[] }[] }>(result))._entities;
    expect(entities.filter((e) => e.conventions.length === 1)).toHaveLength(30);
    expect(total).toBe(1);
  });

  test('training answers Conseiller.trainingPaths for 100 advisors with one SELECT', async () => {
    const training = await open('training');
    const ids = Array.from({ length: 100 }, () => uniqueId());
    for (const conseillerId of ids.slice(0, 40)) await createTrainingPath(training.orm, { conseillerId });
    const { result, total } = await countStatements(training.orm, () =>
      training.execute(`${ENTITIES} fragment F on Conseiller { id trainingPaths { hours } }`, {
        representations: representations('Conseiller', ids),
      }),
    );
    const data = await succeeds<{ _entities: { trainingPaths: unknown[] }[] }>(result);
    expect(data._entities.filter((e) => e.trainingPaths.length)).toHaveLength(40);
    expect(total).toBe(1);
  });

  test('activity answers Conseiller.cras for 100 advisors with one SELECT, newest first and capped by `last`', async () => {
    const activity = await open('activity');
    const ids = Array.from({ length: 100 }, () => uniqueId());
    for (const conseillerId of ids.slice(0, 10)) {
      for (const day of ['01', '02', '03']) await createCra(activity.orm, { conseillerId, structureId: 1, date: `2024-05-${day}` });
    }
    const { result, total } = await countStatements(activity.orm, () =>
      activity.execute(`${ENTITIES} fragment F on Conseiller { id cras(last: 2) { date } }`, {
        representations: representations('Conseiller', ids),
      }),
    );
    const entities = (await succeeds<{ _entities: { cras: { date: string }[] }[] }>(result))._entities;
    expect(entities[0]!.cras).toEqual([{ date: '2024-05-03' }, { date: '2024-05-02' }]);
    expect(entities.filter((e) => e.cras.length === 2)).toHaveLength(10);
    expect(total).toBe(1);
  });
});
