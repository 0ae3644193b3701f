import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contractRenewed, postRequestDecided } from '../../common/events/catalogue.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import {
  moveDsFile,
  renewConvention,
  signConvention,
  terminateConvention,
} from '../../subgraphs/conventions/services/convention.service.js';
import { markTranchePaid } from '../../subgraphs/conventions/services/ledger.service.js';
import { Convention, EmploymentContract, Post, Tranche } from '../../subgraphs/conventions/entities/index.js';
import { createConvention, employInConventions, openTestConvention, feedStructure } from '../support/factories/conventions.js';
import { feed, postRequestState } from '../support/events.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { failsWith, succeeds } from '../support/graphql.js';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await openTestSubgraph('conventions');
});
afterAll(async () => {
  await subgraph?.close();
});
const em = () => subgraph.orm.em.fork();

const FUNDING = 'funding { conventionsSigned committedCents paidCents creditNotesCents postsGranted postsOccupied }';
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Region { code ${FUNDING} }
      ... on Departement { code ${FUNDING} }
      ... on Structure { id ${FUNDING} }
    }
  }
`;
type Totals = {
  conventionsSigned: number;
  committedCents: number;
  paidCents: number;
  creditNotesCents: number;
  postsGranted: number;
  postsOccupied: number;
};

function sumTotals(parts: Totals[]): Totals {
  const zero: Totals = { conventionsSigned: 0, committedCents: 0, paidCents: 0, creditNotesCents: 0, postsGranted: 0, postsOccupied: 0 };
  return parts.reduce((acc, t) => Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, v + t[k as keyof Totals]])) as Totals, zero);
}

/** Recruitment validates a CDI for each vacant post of the agreement: conventions receives them. */
async function occupyAll(conventionId: number, startDate: string): Promise<void> {
  const { structureId } = await em().findOneOrFail(Convention, conventionId);
  for (let vacant = await em().count(Post, { convention: conventionId, state: 'VACANT' }); vacant > 0; vacant--)
    await employInConventions(subgraph.orm, { structureId, type: 'CDI', startDate });
}

async function payFirstTranche(conventionId: number, paidOn: string): Promise<void> {
  const tranche = await em().findOneOrFail(Tranche, { convention: conventionId, rank: 1 });
  await markTranchePaid(em(), SYSTEM_ADMIN, { trancheId: tranche.id, paidOn });
}

/**
 * A région reserved for this test ('07' and its fake départements '801'…'803' are codes no other test uses), with
 * every kind of agreement: signed and paid, unsigned, renewed, terminated early, amended.
 */
async function buildRegion() {
  const region = '07';
  const departements = ['801', '802', '803'];
  const structures: number[] = [];
  const at = (departementCode: string) => ({ structureId: uniqueId(), departementCode, regionCode: region });

  // 801: a public structure, 2 posts occupied, tranche 1 paid; a private one with a vacant post.
  const a = await createConvention(subgraph.orm, { ...at('801'), sector: 'PUBLIC', legalCategory: 'STRUCTURE_PUBLIQUE', advisorPosts: 2 });
  await occupyAll(a.id, '2022-01-01');
  await payFirstTranche(a.id, '2022-01-20');
  const b = await createConvention(subgraph.orm, { ...at('801'), advisorPosts: 1 });
  structures.push(a.structureId, b.structureId);

  // 802: an unsigned agreement (counts for nothing) and one terminated early after a payment (credit notes).
  const c = await openTestConvention(subgraph.orm, { ...at('802'), advisorPosts: 3 });
  const d = await createConvention(subgraph.orm, { ...at('802'), sector: 'PUBLIC', legalCategory: 'STRUCTURE_PUBLIQUE', advisorPosts: 1 });
  await occupyAll(d.id, '2022-01-01');
  await payFirstTranche(d.id, '2022-01-20');
  await terminateConvention(em(), SYSTEM_ADMIN, { conventionId: d.id, kind: 'EARLY_EXIT', on: '2022-03-10' });
  structures.push(c.structureId, d.structureId);

  // 803: a renewed agreement (its phase-1 posts stop counting once the renewal is signed) and an amended one.
  const e = await createConvention(subgraph.orm, { ...at('803'), sector: 'PUBLIC', legalCategory: 'STRUCTURE_PUBLIQUE', advisorPosts: 2 });
  await occupyAll(e.id, '2022-01-01');
  // Recruitment now knows the structure is in a QPV (the renewal's bonification).
  await feedStructure(subgraph.orm, e.structureId, {
    sector: 'PUBLIC',
    departementCode: '803',
    regionCode: region,
    advisorPosts: 2,
    priorityArea: true,
  });
  const renewal = await renewConvention(em(), SYSTEM_ADMIN, {
    conventionId: e.id,
    dsNumber: uniqueId(),
    dsCreatedAt: new Date('2023-09-01T00:00:00Z'),
  });
  await moveDsFile(em(), SYSTEM_ADMIN, { conventionId: renewal.id, state: 'en_instruction', at: new Date('2023-10-01T00:00:00Z') });
  await moveDsFile(em(), SYSTEM_ADMIN, { conventionId: renewal.id, state: 'accepte', at: new Date('2023-11-01T00:00:00Z') });
  await signConvention(em(), SYSTEM_ADMIN, { conventionId: renewal.id, signedOn: '2023-12-01' });
  // Recruitment validates the advisors' renewed contracts: they take the phase-2 posts.
  for (const contract of await em().find(EmploymentContract, { post: { convention: e.id } }))
    await employInConventions(subgraph.orm, {
      structureId: e.structureId,
      conseillerId: contract.conseillerId,
      phase: 'PHASE_2',
      renewalOfId: contract.miseEnRelationId,
      type: 'CDI',
      startDate: renewal.startDate,
      event: contractRenewed,
    });
  const f = await createConvention(subgraph.orm, { ...at('803'), advisorPosts: 1 });
  // Recruitment grants it 2 more posts on 2022-04-01.
  const granted = postRequestState({
    structureId: f.structureId,
    postsRequested: 2,
    reason: 'RENFORCER_EQUIPE',
    requestedOn: '2022-02-01',
    decidedOn: '2022-04-01',
  });
  await feed(subgraph.orm, 'conventions', postRequestDecided, granted.postRequestId, granted);
  structures.push(e.structureId, f.structureId);
  return { region, departements, structures };
}

describe('Departement, Region and Structure funding', () => {
  test('a région totals the sum of its départements, which total the sum of their structures', async () => {
    const { region, departements, structures } = await buildRegion();
    const representations = [
      { __typename: 'Region', code: region },
      ...departements.map((code) => ({ __typename: 'Departement', code })),
      ...structures.map((id) => ({ __typename: 'Structure', id: String(id) })),
    ];
    const { result, total } = await countStatements(subgraph.orm, () =>
      succeeds<{ _entities: ({ funding: Totals } & Record<string, unknown>)[] }>(subgraph.execute(ENTITIES, { representations })),
    );
    // One statement per entity type, whatever the number of territories and structures.
    expect(total).toBe(3);
    const [regionTotals, ...rest] = result._entities.map((e) => e.funding);
    const departementTotals = rest.slice(0, 3);
    const structureTotals = rest.slice(3);

    expect(sumTotals(departementTotals)).toEqual(regionTotals);
    expect(sumTotals(structureTotals.slice(0, 2))).toEqual(departementTotals[0]);
    expect(sumTotals(structureTotals.slice(2, 4))).toEqual(departementTotals[1]);
    expect(sumTotals(structureTotals.slice(4, 6))).toEqual(departementTotals[2]);

    // The figures themselves: a (2 × 50,000 €, 1 tranche of 50,000 € paid), b (32,000 €), d cut to 3 months
    // (6,250 €, 25,000 € paid, 18,750 € back), e (100,000 €) and its renewal (2 × 50,000 €), f (32,000 € + 2 posts
    // added on 2022-04-01 for the 15 months left: 2 × 26,666.66 €).
    expect(regionTotals).toEqual({
      conventionsSigned: 6,
      committedCents: 100_000_00 + 32_000_00 + 6_250_00 + 100_000_00 + 100_000_00 + 32_000_00 + 2 * 26_666_66,
      paidCents: 50_000_00 + 25_000_00,
      creditNotesCents: 18_750_00,
      // a: 2, b: 1, d: ended, e: superseded by its renewal's 2, f: 3.
      postsGranted: 2 + 1 + 2 + 3,
      postsOccupied: 2 + 2,
    });
    expect(departementTotals[1]).toMatchObject({ conventionsSigned: 1, postsGranted: 0 });
  });

  test('a territory or structure without agreements has zeros', async () => {
    const response = await succeeds<{ _entities: { funding: Totals }[] }>(
      subgraph.execute(ENTITIES, {
        representations: [
          { __typename: 'Departement', code: '899' },
          { __typename: 'Structure', id: String(uniqueId()) },
        ],
      }),
    );
    for (const entity of response._entities)
      expect(entity.funding).toEqual({
        conventionsSigned: 0,
        committedCents: 0,
        paidCents: 0,
        creditNotesCents: 0,
        postsGranted: 0,
        postsOccupied: 0,
      });
  });

  test('20 or 200 territories cost the same single statement', async () => {
    const cost = async (n: number) => {
      const representations = Array.from({ length: n }, (_, i) => ({ __typename: 'Departement', code: String(100 + i) }));
      const { result, total } = await countStatements(subgraph.orm, () =>
        succeeds<{ _entities: unknown[] }>(subgraph.execute(ENTITIES, { representations })),
      );
      expect(result._entities).toHaveLength(n);
      return total;
    };
    expect(await cost(20)).toBe(1);
    expect(await cost(200)).toBe(1);
  });
});

describe('no N+1 on nested lists', () => {
  test('advisors’ funded posts and contracts: one statement each for 5 or 50 advisors', async () => {
    const cost = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const c = await createConvention(subgraph.orm, { structureId: uniqueId(), advisorPosts: 1 });
        const { state } = await employInConventions(subgraph.orm, { structureId: c.structureId, type: 'CDI', startDate: '2022-01-01' });
        ids.push(String(state.conseillerId));
      }
      const { result, total } = await countStatements(subgraph.orm, () =>
        succeeds<{ _entities: { fundedPosts: unknown[]; employmentContracts: unknown[] }[] }>(
          subgraph.execute(
            `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { fundedPosts { id } employmentContracts { id } } } }`,
            { r: ids.map((id) => ({ __typename: 'Conseiller', id })) },
          ),
        ),
      );
      expect(result._entities.every((e) => e.fundedPosts.length === 1 && e.employmentContracts.length === 1)).toBe(true);
      return total;
    };
    expect(await cost(5)).toBe(2);
    expect(await cost(50)).toBe(2);
  });

  const STRUCTURES = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Structure {
          id ${FUNDING}
          posts { id state contracts { id } }
          conventions {
            id status paidCents creditNotesCents remainingOwedCents previousConvention { id }
            posts { id contracts { id conseiller { id } } renewedFrom { id } }
            tranches { rank amountCents status blockedReason }
            creditNotes { amountCents post { id } }
            amendments { id givenBackPosts { id } }
          }
        }
      }
    }
  `;

  test('structures with their agreements, posts, contracts, tranche statuses and credit notes: same statements for 3 or 15', async () => {
    const cost = async (n: number) => {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = await createConvention(subgraph.orm, { structureId: uniqueId(), advisorPosts: 2 });
        await occupyAll(c.id, '2022-01-01');
        await payFirstTranche(c.id, '2022-02-01');
        ids.push(c.structureId);
      }
      const representations = ids.map((id) => ({ __typename: 'Structure', id: String(id) }));
      const { result, total } = await countStatements(subgraph.orm, () =>
        succeeds<{ _entities: { conventions: { tranches: { status: string }[] }[] }[] }>(subgraph.execute(STRUCTURES, { representations })),
      );
      expect(result._entities.map((s) => s.conventions[0]!.tranches.map((t) => t.status))).toEqual(
        Array.from({ length: n }, () => ['PAID', 'DUE']),
      );
      return total;
    };
    const small = await cost(3);
    expect(small).toBeLessThanOrEqual(10);
    expect(await cost(15)).toBe(small);
  });

  test('the agreements list: same statements for a page of 2 or of 25', async () => {
    const departementCode = '804';
    const cost = async (n: number, regionCode: string) => {
      for (let i = 0; i < n; i++) await createConvention(subgraph.orm, { structureId: uniqueId(), departementCode, regionCode });
      const { result, total } = await countStatements(subgraph.orm, () =>
        succeeds<{ conventions: { totalCount: number; edges: unknown[] } }>(
          subgraph.execute(
            `query ($filter: ConventionFilter) { conventions(first: 100, filter: $filter) { totalCount edges { node { id posts { id contracts { id } } tranches { status } creditNotes { id } } } } }`,
            { filter: { regionCode } },
          ),
        ),
      );
      expect(result.conventions.totalCount).toBe(n);
      return total;
    };
    expect(await cost(2, '08')).toBe(await cost(25, '09'));
  });

  test('the list pages with cursors and refuses pages over 100', async () => {
    const structureId = uniqueId();
    await openTestConvention(subgraph.orm, { structureId });
    await openTestConvention(subgraph.orm, { structureId, phase: 'PHASE_2' });
    const page = `query ($after: String, $s: ID) { conventions(first: 1, after: $after, filter: { structureId: $s }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id phase } } } }`;
    const first = await succeeds(subgraph.execute(page, { s: String(structureId) }));
    expect(first.conventions).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const second = await succeeds(subgraph.execute(page, { s: String(structureId), after: first.conventions.pageInfo.endCursor }));
    expect(second.conventions.pageInfo.hasNextPage).toBe(false);
    expect(second.conventions.edges[0].node.id).not.toBe(first.conventions.edges[0].node.id);
    expect(await failsWith('BAD_USER_INPUT', subgraph.execute(`{ conventions(first: 101) { totalCount } }`))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });
});
