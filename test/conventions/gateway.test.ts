import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { markTranchePaid } from '../../subgraphs/conventions/services/ledger.service.js';
import { Post, Tranche } from '../../subgraphs/conventions/entities/index.js';
import { createConvention, employInConventions, feedStructure } from '../support/factories/conventions.js';
import { createConseiller, createStructure } from '../support/factories/recruitment.js';
import { uniqueId } from '../support/ids.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import { failsWith, succeeds } from '../support/graphql.js';

/** Conventions' extensions of recruitment's entities, and its own types pointing back at them, through the gateway. */
let system: TestSystem;
let admin: Record<string, string>;
beforeAll(async () => {
  system = await startTestSystem();
  admin = await system.bearer({ sub: 'u-admin', role: 'admin' });
});
afterAll(async () => {
  await system?.stop();
});

describe('conventions through the gateway', () => {
  test('a structure’s agreements, posts with their advisors, payments and funding; its département’s funding', async () => {
    const structure = await createStructure(system.orms.recruitment, { type: 'PRIVATE', departementCode: '974', regionCode: '04' });
    const advisor = await createConseiller(system.orms.recruitment, { structureId: structure.id });
    const convention = await createConvention(system.orms.conventions, {
      structureId: structure.id,
      departementCode: '974',
      regionCode: '04',
      durationMonths: 24,
      amountCents: 40_000_00,
    });
    const em = system.orms.conventions.em.fork();
    const post = await em.findOneOrFail(Post, { convention });
    await employInConventions(system.orms.conventions, {
      structureId: structure.id,
      conseillerId: advisor.id,
      type: 'CDI',
      startDate: '2022-01-01',
    });
    await markTranchePaid(em, SYSTEM_ADMIN, {
      trancheId: (await em.findOneOrFail(Tranche, { convention, rank: 1 })).id,
      paidOn: '2022-01-15',
    });

    const data = await succeeds<{
      structure: { departement: { code: string; funding: { committedCents: number; postsOccupied: number } } } & Record<string, unknown>;
    }>(
      system.query(
        `query ($id: ID!) {
        structure(id: $id) {
          name
          conventions { status dsFile { procedure state } posts { state conseiller { id lastName } } tranches { rank amountCents status } remainingOwedCents }
          funding { conventionsSigned committedCents paidCents postsGranted postsOccupied }
          inPhase2
          departement { code funding { committedCents postsOccupied } }
        }
      }`,
        { id: String(structure.id) },
        admin,
      ),
    );
    expect(data.structure).toMatchObject({
      name: structure.name,
      conventions: [
        {
          status: 'CONVENTIONNEMENT_VALIDE',
          dsFile: { procedure: 'CONVENTIONNEMENT_ASSOCIATION', state: 'accepte' },
          posts: [{ state: 'OCCUPE', conseiller: { id: String(advisor.id), lastName: advisor.lastName } }],
          tranches: [
            { rank: 1, amountCents: 20_000_00, status: 'PAID' },
            { rank: 2, amountCents: 20_000_00, status: 'DUE' },
          ],
          remainingOwedCents: 20_000_00,
        },
      ],
      funding: { conventionsSigned: 1, committedCents: 40_000_00, paidCents: 20_000_00, postsGranted: 1, postsOccupied: 1 },
      inPhase2: false,
    });
    const byAdvisor = await succeeds(
      system.query(
        `query ($id: ID!) { conseiller(id: $id) { lastName fundedPosts { id state structure { id name } } employmentContracts { type startDate post { id } } } }`,
        { id: String(advisor.id) },
        admin,
      ),
    );
    expect(byAdvisor).toEqual({
      conseiller: {
        lastName: advisor.lastName,
        fundedPosts: [{ id: String(post.id), state: 'OCCUPE', structure: { id: String(structure.id), name: structure.name } }],
        employmentContracts: [{ type: 'CDI', startDate: '2022-01-01', post: { id: String(post.id) } }],
      },
    });
    // Other tests may fund posts in La Réunion too: the département holds at least this structure's share.
    expect(data.structure.departement.code).toBe('974');
    expect(data.structure.departement.funding.committedCents).toBeGreaterThanOrEqual(40_000_00);
    expect(data.structure.departement.funding.postsOccupied).toBeGreaterThanOrEqual(1);
  });

  test('an agreement opened through the gateway', async () => {
    const structureId = uniqueId();
    // Recruitment validated a public structure in Martinique with one post.
    await feedStructure(system.orms.conventions, structureId, { sector: 'PUBLIC', departementCode: '972', regionCode: '02' });
    const opened = await succeeds(
      system.query(
        `mutation ($input: OpenConventionInput!) { openConvention(input: $input) { convention { status amountCents structure { id } dsFile { state } } } }`,
        {
          input: {
            structureId: String(structureId),
            phase: 'PHASE_1',
            legalCategory: 'STRUCTURE_PUBLIQUE',
            dsNumber: uniqueId(),
            dsCreatedAt: '2021-10-01T00:00:00Z',
            startDate: '2022-01-01',
            advisorPosts: 1,
            attributionDate: '2021-11-01',
          },
        },
        admin,
      ),
    );
    expect(opened).toMatchObject({
      openConvention: { convention: { status: 'CONVENTIONNEMENT_EN_COURS', amountCents: 70_000_00, dsFile: { state: 'en_construction' } } },
    });
  });

  test('the viewer the gateway signs narrows what the subgraph reads and lets write', async () => {
    const marseille = await createConvention(system.orms.conventions, { structureId: uniqueId(), departementCode: '13', regionCode: '93' });
    const paris = await createConvention(system.orms.conventions, { structureId: uniqueId(), departementCode: '75', regionCode: '11' });
    const prefet = await system.bearer({ sub: 'u-prefet-13', role: 'prefet', departements: ['13'] });
    const read = await succeeds(
      system.query(
        `query ($m: ID!, $p: ID!) { m: convention(id: $m) { id } p: convention(id: $p) { id } conventions(filter: { departementCode: "75" }) { totalCount } }`,
        { m: String(marseille.id), p: String(paris.id) },
        prefet,
      ),
    );
    expect(read).toEqual({ m: { id: String(marseille.id) }, p: null, conventions: { totalCount: 0 } });

    const structure = await system.bearer({ sub: 'u-structure-m', role: 'structure', structure_ids: [marseille.structureId] });
    const decline = (id: number) =>
      system.query(
        `mutation ($id: ID!) { declineRenewal(input: { conventionId: $id, reason: "Pas de budget pour la suite." }) { convention { status } } }`,
        { id: String(id) },
        structure,
      );
    expect(await succeeds(decline(marseille.id))).toEqual({ declineRenewal: { convention: { status: 'NON_INTERESSE' } } });
    await failsWith('FORBIDDEN', decline(paris.id));
  });
});
