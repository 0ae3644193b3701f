import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

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
    const preselected = await call(`mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { id status } } }`, {
      s: structure.id,
      c: candidate.id,
    });
    expect(preselected.errors).toBeUndefined();
    const merId = (preselected.data as any).preselectCandidate.miseEnRelation.id;
    const contract = { type: 'CDI', startDate: '2025-02-03', grossMonthlySalaryCents: 195_000 };
    const recruit = `mutation ($id: ID!, $contract: ContractInput!) { recruitCandidate(input: { miseEnRelationId: $id, contract: $contract }) { miseEnRelation { status } } }`;
    expect((await call(recruit, { id: merId, contract: { ...contract, grossMonthlySalaryCents: 100_000 } })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'contract.grossMonthlySalaryCents',
    });
    expect((await call(recruit, { id: merId, contract })).errors).toBeUndefined();
    const validated = await call(
      `mutation ($id: ID!) { validateRecruitment(input: { miseEnRelationId: $id }) { miseEnRelation { status structure { occupiedPosts postQuota } conseiller { status personalData { email } } } } }`,
      { id: merId },
    );
    expect(validated.errors).toBeUndefined();
    expect((validated.data as any).validateRecruitment.miseEnRelation).toEqual({
      status: 'FINALISEE',
      structure: { occupiedPosts: 1, postQuota: 1 },
      conseiller: { status: 'RECRUTE', personalData: { email: `camille.${candidate.id}@example.org` } },
    });
    const illegal = await call(`mutation ($id: ID!) { rejectCandidate(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`, { id: merId });
    expect(illegal.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'FINALISEE', to: 'NON_INTERESSEE' });
  });
});
