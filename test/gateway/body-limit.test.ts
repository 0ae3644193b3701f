import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { LIMITS } from '../../gateway/limits.js';
import { MAX_BATCH } from '../../subgraphs/activity/rules/cra-validation.js';
import { uniqueId } from '../support/ids.js';
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
    structureId: '5',
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

const batch = (size: number) => {
  const conseillerId = uniqueId();
  return { input: { cras: Array.from({ length: size }, (_, i) => realisticReport(conseillerId, i)) } };
};

describe('fileCras through the gateway', () => {
  test(`a batch of ${MAX_BATCH} realistic reports is filed`, async () => {
    const variables = batch(MAX_BATCH);
    const size = Buffer.byteLength(JSON.stringify({ query: FILE, variables }));
    // Four times the former 100 kB limit, and well inside the limit.
    expect(size).toBeGreaterThan(400_000);
    expect(size).toBeLessThan(LIMITS.bodyBytes / 2);
    const response = await system.query<{ fileCras: { cras: { id: string }[] } }>(FILE, variables, admin);
    expect(response.errors).toBeUndefined();
    expect(response.data?.fileCras.cras).toHaveLength(MAX_BATCH);
  });

  test(`a batch of ${MAX_BATCH + 1} gets the batch-size error, not a body-size one`, async () => {
    const response = await system.query(FILE, batch(MAX_BATCH + 1), admin);
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
