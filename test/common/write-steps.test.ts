import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BadUserInputError, ForbiddenError } from '../../common/errors.js';
import { defineWriteSteps } from '../../common/steps.js';
import { SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { Structure } from '../../subgraphs/recruitment/entities/index.js';
import { createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { countStatements } from '../support/sql-counter.js';

/** The shared declaration of write steps: role first, then the transaction, and a reach check a step cannot skip. */
const { step, mayTake } = defineWriteSteps({ rename: ['admin', 'structure'], audit: ['admin'] });

const structureViewer = (id: number): Viewer => ({
  kind: 'user',
  role: 'structure',
  id: `structure:${id}`,
  scopes: ['structures:read'],
  territory: null,
  structureIds: [id],
  conseillerIds: null,
  network: null,
});

let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment.close();
});

const rename = (viewer: Viewer, id: number, check: 'reach' | 'none' | 'unscoped') =>
  step(recruitment.orm.em.fork(), viewer, 'rename', async ({ lock, reach, unscoped }) => {
    const row = await lock(Structure, id);
    if (check === 'reach') reach({ structure: row.id, departement: row.departementCode }, `structure ${row.id}`);
    if (check === 'unscoped') unscoped('test');
    row.name = `${row.name} (renamed)`;
    return row;
  });

const nameOf = async (id: number) => (await recruitment.orm.em.fork().findOneOrFail(Structure, id)).name;

describe('defineWriteSteps', () => {
  test('a role outside the table is refused before any statement, naming the role and the step', async () => {
    const own = await createStructure(recruitment.orm);
    const { statements, result } = await countStatements(recruitment.orm, () =>
      step(recruitment.orm.em.fork(), structureViewer(own.id), 'audit', async () => 1).catch((e: unknown) => e),
    );
    expect(result).toBeInstanceOf(ForbiddenError);
    expect((result as ForbiddenError).message).toBe('The structure role cannot audit.');
    expect((result as ForbiddenError).extensions).toMatchObject({ code: 'FORBIDDEN', action: 'audit' });
    expect(statements).toEqual([]);
    expect(mayTake(structureViewer(own.id), 'audit')).toBe(false);
    expect(mayTake(SYSTEM_ADMIN, 'audit')).toBe(true);
  });

  test("a step's input check runs after the role check and before the transaction: a refused input costs no statement", async () => {
    const own = await createStructure(recruitment.orm);
    const refuse = () => {
      throw new BadUserInputError('No.', 'name');
    };
    const asStructure = await countStatements(recruitment.orm, () =>
      step(recruitment.orm.em.fork(), structureViewer(own.id), 'rename', { check: refuse }, async () => 1).catch((e: unknown) => e),
    );
    expect(asStructure.result).toBeInstanceOf(BadUserInputError);
    expect(asStructure.statements).toEqual([]);
    const wrongRole = await step(recruitment.orm.em.fork(), structureViewer(own.id), 'audit', { check: refuse }, async () => 1).catch(
      (e: unknown) => e,
    );
    expect(wrongRole).toBeInstanceOf(ForbiddenError);
  });

  test("a reach check on the input's own location, in the check, refuses before any statement and counts as the step's", async () => {
    const [own, other] = [await createStructure(recruitment.orm), await createStructure(recruitment.orm)];
    const forStructure = (id: number) =>
      step(
        recruitment.orm.em.fork(),
        structureViewer(own.id),
        'rename',
        { check: ({ reach }) => reach({ structure: id }, `structure ${id}`) },
        async (s) => {
          const row = await s.lock(Structure, id);
          row.name = `${row.name} (renamed)`;
          return row;
        },
      );
    const refused = await countStatements(recruitment.orm, () => forStructure(other.id).catch((e: unknown) => e));
    expect(refused.result).toBeInstanceOf(ForbiddenError);
    expect(refused.statements).toEqual([]);
    await forStructure(own.id);
    expect(await nameOf(own.id)).toMatch(/\(renamed\)$/);
  });

  test('a row outside the viewer reach is refused and nothing is written', async () => {
    const [own, other] = [await createStructure(recruitment.orm), await createStructure(recruitment.orm)];
    const before = await nameOf(other.id);
    await expect(rename(structureViewer(own.id), other.id, 'reach')).rejects.toThrow(`You cannot rename for structure ${other.id}:`);
    expect(await nameOf(other.id)).toBe(before);
    await rename(structureViewer(own.id), own.id, 'reach');
    expect(await nameOf(own.id)).toMatch(/\(renamed\)$/);
  });

  test('a restricted viewer step that made no reach check fails and writes nothing; unrestricted viewers need none', async () => {
    const own = await createStructure(recruitment.orm);
    const before = await nameOf(own.id);
    await expect(rename(structureViewer(own.id), own.id, 'none')).rejects.toThrow(
      'Write step rename made no reach check for a restricted viewer.',
    );
    expect(await nameOf(own.id)).toBe(before);
    await rename(structureViewer(own.id), own.id, 'unscoped');
    await rename(SYSTEM_ADMIN, own.id, 'none');
    expect(await nameOf(own.id)).toBe(`${before} (renamed) (renamed)`);
  });
});
