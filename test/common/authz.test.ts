import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { canSeeRow, rowCondition, rowFilter } from '../../common/authz.js';
import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { Structure } from '../../subgraphs/recruitment/entities/index.js';
import { createStructure } from '../support/factories/recruitment.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';

const prefet13: Viewer = { ...ANONYMOUS, kind: 'user', role: 'prefet', id: 'p', territory: { departements: ['13'], regions: [] } };
const region11: Viewer = { ...prefet13, territory: { departements: [], regions: ['11'] } };
const structureUser = (id: number): Viewer => ({ ...ANONYMOUS, kind: 'user', role: 'structure', id: 's', structureIds: [id] });
const reseau: Viewer = { ...ANONYMOUS, kind: 'user', role: 'grand_reseau', id: 'g', network: 'LA_POSTE' };

let recruitment: TestSubgraph;
const ids: Record<string, number> = {};
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
  ids.marseille = (await createStructure(recruitment.orm, { departementCode: '13', regionCode: '93' })).id;
  ids.paris = (await createStructure(recruitment.orm, { departementCode: '75', regionCode: '11', communeCode: '75056' })).id;
});
afterAll(async () => {
  await recruitment?.close();
});

/** Which of the two test structures the viewer's filter lets through, asked of PostgreSQL. */
async function visible(viewer: Viewer, at = { departement: 'departementCode', region: 'regionCode', structure: 'id' }): Promise<string[]> {
  const filter = rowFilter<Structure>(viewer, at);
  const rows = await recruitment.orm.em
    .fork()
    .find(Structure, { $and: [{ id: { $in: [ids.marseille!, ids.paris!] } }, ...(filter ? [filter] : [])] });
  return rows.map((r) => (r.id === ids.marseille ? 'marseille' : 'paris')).sort();
}

describe('row filters in SQL', () => {
  test('an unrestricted viewer sees every row', async () => {
    expect(rowFilter(SYSTEM_ADMIN, { departement: 'departementCode' })).toBeUndefined();
    expect(await visible(SYSTEM_ADMIN)).toEqual(['marseille', 'paris']);
  });
  test('a département or a région restricts to it', async () => {
    expect(await visible(prefet13)).toEqual(['marseille']);
    expect(await visible(region11)).toEqual(['paris']);
  });
  test('a structure sees itself only', async () => {
    expect(await visible(structureUser(ids.paris!))).toEqual(['paris']);
  });
  test('a restriction the table cannot evaluate shows nothing (fail closed)', async () => {
    expect(await visible(reseau)).toEqual([]);
    expect(await visible(structureUser(ids.paris!), { departement: 'departementCode', region: 'regionCode', structure: '' })).toEqual([]);
  });
});

describe('the same rule outside the ORM', () => {
  test('rows in hand', () => {
    expect(canSeeRow(prefet13, { departement: '13' })).toBe(true);
    expect(canSeeRow(prefet13, { departement: '75', region: '11' })).toBe(false);
    expect(canSeeRow(reseau, { network: 'LA_POSTE' })).toBe(true);
    expect(canSeeRow(SYSTEM_ADMIN, {})).toBe(true);
  });
  test('hand-written SQL', () => {
    expect(rowCondition(SYSTEM_ADMIN, { departement: 'd' })).toEqual({ sql: 'true', params: [] });
    expect(rowCondition(prefet13, { departement: 'c.departement_code', region: 'c.region_code' })).toEqual({
      sql: '(c.departement_code in (?))',
      params: ['13'],
    });
    expect(rowCondition(reseau, { departement: 'd' })).toEqual({ sql: 'false', params: [] });
  });
});
