import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { failsWith, succeeds } from '../support/graphql.js';

/** The recruitment workflow driven through the gateway over HTTP, as the tableau de pilotage would. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'u-admin-recruitment', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

describe('through the gateway', () => {
  test('an administrator follows a candidate from preselection to recruitment; errors keep their codes', async () => {
    const structure = await createStructure(system.orms.recruitment, { postQuota: 1 });
    const candidate = await createConseiller(system.orms.recruitment);
    const call = async (query: string, variables: Record<string, unknown>) => {
      const response = await system.query(query, variables, admin);
      expect(response.status).toBe(200);
      return response;
    };
    const preselected = await succeeds(
      call(
        `mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { id status } } }`,
        {
          s: structure.id,
          c: candidate.id,
        },
      ),
    );
    const merId = preselected.preselectCandidate.miseEnRelation.id;
    const contract = { type: 'CDI', startDate: '2025-02-03', grossMonthlySalaryCents: 195_000 };
    const recruit = `mutation ($id: ID!, $contract: ContractInput!) { recruitCandidate(input: { miseEnRelationId: $id, contract: $contract }) { miseEnRelation { status } } }`;
    expect(
      await failsWith('BAD_USER_INPUT', call(recruit, { id: merId, contract: { ...contract, grossMonthlySalaryCents: 100_000 } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'contract.grossMonthlySalaryCents',
    });
    await succeeds(call(recruit, { id: merId, contract }));
    const validated = await succeeds(
      call(
        `mutation ($id: ID!) { validateRecruitment(input: { miseEnRelationId: $id }) { miseEnRelation { status structure { occupiedPosts postQuota } conseiller { status personalData { email } } } } }`,
        { id: merId },
      ),
    );
    expect(validated.validateRecruitment.miseEnRelation).toEqual({
      status: 'FINALISEE',
      structure: { occupiedPosts: 1, postQuota: 1 },
      conseiller: { status: 'RECRUTE', personalData: { email: `camille.${candidate.id}@example.org` } },
    });
    const illegal = await failsWith(
      'INVALID_STATUS_TRANSITION',
      call(`mutation ($id: ID!) { rejectCandidate(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`, { id: merId }),
    );
    expect(illegal).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'FINALISEE', to: 'NON_INTERESSEE' });
  });
});

describe('the signed viewer through the gateway', () => {
  const PARIS = { communeCode: '75056', communeName: 'Paris', departementCode: '75', regionCode: '11' };

  test('a prefecture lists the structures of its département only, and is refused contacts and who acted', async () => {
    const marseille = await createStructure(system.orms.recruitment, { contactEmail: 'direction@example.org' });
    const paris = await createStructure(system.orms.recruitment, PARIS);
    const prefet = await system.bearer({ sub: 'u-prefet-13', role: 'prefet', departements: ['13'] });
    const LIST = `query ($q: String!) { a: structures(first: 5, filter: { search: $q }) { totalCount } }`;
    const count = async (id: number) => (await succeeds(system.query(LIST, { q: String(id) }, prefet))).a.totalCount;
    expect([await count(marseille.id), await count(paris.id)]).toEqual([1, 0]);
    const contact = await system.query(`query ($id: ID!) { structure(id: $id) { contact { email } } }`, { id: marseille.id }, prefet);
    expect(contact.status).toBe(403);
    expect(await failsWith('FORBIDDEN', contact)).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['personal-data:read'] });
    const actors = await failsWith(
      'FORBIDDEN',
      system.query(`query ($id: ID!) { structure(id: $id) { coselecDecisions { validator } } }`, { id: marseille.id }, prefet),
    );
    expect(actors).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['personal-data:read'] });
  });

  test('a structure reads its own contact and preselects a candidate, recorded under its account', async () => {
    const structure = await createStructure(system.orms.recruitment, { contactEmail: 'direction@example.org' });
    const candidate = await createConseiller(system.orms.recruitment);
    const own = await system.bearer({ sub: 'u-structure-gw', role: 'structure', structure_ids: [structure.id] });
    const read = await succeeds(system.query(`query ($id: ID!) { structure(id: $id) { contact { email } } }`, { id: structure.id }, own));
    expect(read.structure.contact).toEqual({ email: 'direction@example.org' });
    const done = await succeeds(
      system.query(
        `mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { history { actor } } } }`,
        { s: structure.id, c: candidate.id },
        own,
      ),
    );
    expect(done.preselectCandidate.miseEnRelation.history).toEqual([{ actor: 'structure:u-structure-gw' }]);
  });
});
