import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { LIMITS } from '../../gateway/limits.js';
import { MAX_BATCH } from '../../subgraphs/activity/rules/cra-validation.js';
import { employedAdvisor } from '../support/factories/activity.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

/** The documented `fileCras` batch fits in the body limit, through the gateway and behind it. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'u-admin-body-limit', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

const FILE = `mutation ($input: FileCrasInput!) { fileCras(input: $input) { cras { id } } }`;

/** A workshop report as advisors file them: several themes and sub-themes, follow-ups, redirections and a note. */
function realisticReport(conseillerId: number, i: number) {
  return {
    conseillerId: String(conseillerId),
    date: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    channel: 'RATTACHEMENT',
    activityType: 'COLLECTIF',
    participants: 8,
    recurringParticipants: 3,
    ages: { under12: 0, from12To18: 1, from18To35: 2, from35To60: 3, over60: 2 },
    statuses: { etudiant: 1, sansEmploi: 3, enEmploi: 2, retraite: 2, heterogene: 0 },
    themes: ['EQUIPEMENT_INFORMATIQUE', 'COURRIEL', 'DEMARCHE_EN_LIGNE', 'SECURITE'],
    subThemes: ['ORDINATEUR', 'TELEPHONE'],
    duration: '120',
    followUps: { individual: 2, workshop: 3, redirected: 2 },
    redirections: [
      { body: 'CAF', count: 1 },
      { body: 'AUTRE', otherName: 'Point justice de la mairie', count: 1 },
    ],
    communeCode: '13055',
    postalCode: '13001',
    annotation: `Atelier ${i} « démarches en ligne » à la médiathèque : comptes Ameli et impots.gouv, mots de passe ; deux personnes à revoir.`,
  };
}

/** A batch of an advisor employed by structure 5 (activity's copy of recruitment's contracts). */
const batch = async (size: number) => {
  const conseillerId = await employedAdvisor(system.orms.activity, 5);
  return { input: { cras: Array.from({ length: size }, (_, i) => realisticReport(conseillerId, i)) } };
};

describe('fileCras through the gateway', () => {
  test(`a batch of ${MAX_BATCH} realistic reports is filed`, async () => {
    const variables = await batch(MAX_BATCH);
    const size = Buffer.byteLength(JSON.stringify({ query: FILE, variables }));
    // About four times the former 100 kB limit, and well inside the limit.
    expect(size).toBeGreaterThan(390_000);
    expect(size).toBeLessThan(LIMITS.bodyBytes / 2);
    const response = await system.query<{ fileCras: { cras: { id: string }[] } }>(FILE, variables, admin);
    expect(response.errors).toBeUndefined();
    expect(response.data?.fileCras.cras).toHaveLength(MAX_BATCH);
  });

  test(`a batch of ${MAX_BATCH + 1} gets the batch-size error, not a body-size one`, async () => {
    const response = await system.query(FILE, await batch(MAX_BATCH + 1), admin);
    expect(response.errors?.[0]?.message).toBe(`A batch holds 1 to ${MAX_BATCH} reports.`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cras' });
  });

  test('a body over the limit is refused (413) before anything parses it', async () => {
    const res = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ query: FILE, variables: { pad: 'x'.repeat(LIMITS.bodyBytes) } }),
    });
    expect(res.status).toBe(413);
    await res.text();
  });
});
