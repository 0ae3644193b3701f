import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { Amendment, Convention, Post } from '../../subgraphs/conventions/entities/index.js';
import type { Network } from '../../subgraphs/conventions/entities/vocabulary.js';
import { createConvention, employInConventions } from '../support/factories/conventions.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { openInput } from './support.js';
import { postRequestDecided, postsTransferred } from '../../common/events/catalogue.js';
import { feed, postRequestState } from '../support/events.js';
import { failsWith, succeeds, succeedsBesidesOutOfReach, type Data } from '../support/graphql.js';
import { user } from '../support/viewers.js';

/**
 * Row-level authorization of the conventions subgraph, asked of the subgraph itself (as the gateway would call it,
 * `_entities` included) with each kind of viewer: what every role must see, and what it must not.
 */
let subgraph: TestSubgraph;
const em = () => subgraph.orm.em.fork();

/** A signed agreement of a fresh structure, one post filled by a fresh advisor, one amendment (a refused request). */
async function agreement(departementCode: string, regionCode: string, network: Network | null = null) {
  const structureId = uniqueId();
  const advisorId = uniqueId();
  const convention = await createConvention(subgraph.orm, { structureId, departementCode, regionCode, network });
  const [post] = await em().find(Post, { convention: convention.id });
  await employInConventions(subgraph.orm, { structureId, conseillerId: advisorId, type: 'CDI', startDate: '2022-01-01' });
  // A post request refused in recruitment: recorded on the agreement, which it leaves as it was.
  const postRequestId = uniqueId();
  const refused = postRequestState({ postRequestId, structureId, accepted: false, prefectOpinion: 'NEGATIF', reason: 'RENFORCER_EQUIPE' });
  await feed(subgraph.orm, 'conventions', postRequestDecided, postRequestId, refused);
  const amendment = await em().findOneOrFail(Amendment, { postRequestId });
  return {
    structureId: String(structureId),
    advisorId: String(advisorId),
    conventionId: String(convention.id),
    postId: String(post!.id),
    amendmentId: String(amendment.id),
  };
}
type Agreement = Awaited<ReturnType<typeof agreement>>;

let marseille: Agreement;
let paris: Agreement;
beforeAll(async () => {
  subgraph = await openTestSubgraph('conventions');
  marseille = await agreement('13', '93', 'LA_POSTE');
  paris = await agreement('75', '11');
  // Neighbours in the same département and région, so that a territory's figures differ from one structure's.
  await agreement('13', '93');
  await agreement('84', '93');
});
afterAll(async () => {
  await subgraph?.close();
});

const VIEWERS = (): Record<string, Viewer> => ({
  admin: SYSTEM_ADMIN,
  'prefet of 13': user('prefet', { territory: { departements: ['13'], regions: [] } }),
  'prefet of région 11': user('prefet', { territory: { departements: [], regions: ['11'] } }),
  'hub of région 93': user('hub', { territory: { departements: [], regions: ['93'] } }),
  'coordinateur of the 13': user('coordinateur', { territory: { departements: ['13'], regions: [] } }),
  'coordinateur of the Paris advisor': user('coordinateur', { conseillerIds: [Number(paris.advisorId)] }),
  'structure of Marseille': user('structure', { structureIds: [Number(marseille.structureId)] }),
  'conseiller of Marseille': user('conseiller', { conseillerIds: [Number(marseille.advisorId)] }),
  'grand réseau La Poste': user('grand_reseau', { network: 'LA_POSTE' }),
  'grand réseau Croix-Rouge': user('grand_reseau', { network: 'CROIX_ROUGE' }),
  'national partner key': { ...ANONYMOUS, kind: 'api_key', role: 'partner', id: 'k1', scopes: ['conventions:read'] },
  'partner key of the 75': {
    ...ANONYMOUS,
    kind: 'api_key',
    role: 'partner',
    id: 'k2',
    scopes: ['conventions:read'],
    territory: { departements: ['75'], regions: [] },
  },
  'partner key without conventions:read': { ...ANONYMOUS, kind: 'api_key', role: 'partner', id: 'k3', scopes: ['statistics:read'] },
  anonymous: ANONYMOUS,
});

/** Which of the two agreements each viewer must see. */
const EXPECTED: Record<keyof ReturnType<typeof VIEWERS>, ('marseille' | 'paris')[]> = {
  admin: ['marseille', 'paris'],
  'prefet of 13': ['marseille'],
  'prefet of région 11': ['paris'],
  'hub of région 93': ['marseille'],
  'coordinateur of the 13': ['marseille'],
  'coordinateur of the Paris advisor': ['paris'],
  'structure of Marseille': ['marseille'],
  'conseiller of Marseille': ['marseille'],
  'grand réseau La Poste': ['marseille'],
  'grand réseau Croix-Rouge': [],
  'national partner key': ['marseille', 'paris'],
  'partner key of the 75': ['paris'],
  'partner key without conventions:read': [],
  anonymous: [],
};

const NESTED = 'id posts { id contracts { id } } tranches { id status } creditNotes { id } amendments { id }';
const READS = /* GraphQL */ `
  query ($c: ID!, $p: ID!, $s: ID!, $d: String!, $structure: [_Any!]!, $advisor: [_Any!]!, $entities: [_Any!]!) {
    convention(id: $c) { ${NESTED} }
    post(id: $p) { id convention { id } }
    conventions(first: 100, filter: { structureId: $s }) { totalCount edges { node { id } } }
    amendments(first: 100, filter: { departementCode: $d }) { totalCount edges { node { id } } }
    structure: _entities(representations: $structure) { ... on Structure { conventions { id } posts { id } inPhase2 funding { conventionsSigned postsGranted } } }
    advisor: _entities(representations: $advisor) { ... on Conseiller { fundedPosts { id } employmentContracts { id } } }
    entities: _entities(representations: $entities) { ... on Convention { id } ... on Post { id } }
  }
`;

/**
 * Every way of reaching one agreement and its rows, and what each shows: `shown` (the agreement with all its rows),
 * `hidden` (null, empty lists, zero counts and figures), or the raw data when it is anything in between.
 */
async function reach(viewer: Viewer, a: Agreement, departementCode: string): Promise<Record<string, unknown>> {
  const response = await subgraph.execute<Data>(
    READS,
    {
      c: a.conventionId,
      p: a.postId,
      s: a.structureId,
      d: departementCode,
      structure: [{ __typename: 'Structure', id: a.structureId }],
      advisor: [{ __typename: 'Conseiller', id: a.advisorId }],
      entities: [
        { __typename: 'Convention', id: a.conventionId },
        { __typename: 'Post', id: a.postId },
      ],
    },
    viewer,
  );
  const d = await succeedsBesidesOutOfReach(response);
  const c = d.convention;
  const [structure] = d.structure;
  const [advisor] = d.advisor;
  const mine = d.amendments.edges.filter((e: Data) => e.node.id === a.amendmentId);
  const verdict = (shown: boolean, hidden: boolean, data: unknown) => (shown ? 'shown' : hidden ? 'hidden' : data);
  return {
    'convention by id, with its posts, contracts, tranches, amendments': verdict(
      c !== null && c.posts.length === 1 && c.posts[0].contracts.length === 1 && c.tranches.length > 0 && c.amendments.length === 1,
      c === null,
      c,
    ),
    'post by id': verdict(d.post?.convention.id === a.conventionId, d.post === null, d.post),
    'conventions list and its count': verdict(
      d.conventions.totalCount === 1 && d.conventions.edges[0]?.node.id === a.conventionId,
      d.conventions.totalCount === 0 && d.conventions.edges.length === 0,
      d.conventions,
    ),
    'amendments list': verdict(mine.length === 1, mine.length === 0, mine),
    'Structure.conventions, posts, funding, inPhase2': verdict(
      structure.conventions.length === 1 &&
        structure.posts.length === 1 &&
        structure.funding.conventionsSigned === 1 &&
        structure.funding.postsGranted === 1,
      structure.conventions.length === 0 &&
        structure.posts.length === 0 &&
        structure.funding.conventionsSigned === 0 &&
        structure.funding.postsGranted === 0 &&
        !structure.inPhase2,
      structure,
    ),
    'Conseiller.fundedPosts and employmentContracts': verdict(
      advisor.fundedPosts.length === 1 && advisor.employmentContracts.length === 1,
      advisor.fundedPosts.length === 0 && advisor.employmentContracts.length === 0,
      advisor,
    ),
    '_entities Convention and Post': verdict(
      d.entities[0]?.id === a.conventionId && d.entities[1]?.id === a.postId,
      d.entities[0] === null && d.entities[1] === null,
      d.entities,
    ),
  };
}

describe('the matrix: each viewer × each path to an agreement and its rows', () => {
  test.each(Object.keys(EXPECTED))('%s', async (name) => {
    const viewer = VIEWERS()[name]!;
    for (const [label, a, departement] of [
      ['marseille', marseille, '13'],
      ['paris', paris, '75'],
    ] as const) {
      const seen = await reach(viewer, a, departement);
      // Visible: through every path, with all its rows. Not visible: through none.
      const expected = EXPECTED[name]!.includes(label) ? 'shown' : 'hidden';
      expect({ [label]: seen }).toEqual({ [label]: Object.fromEntries(Object.keys(seen).map((k) => [k, expected])) });
    }
  });

  test('a restricted list holds only rows within reach', async () => {
    const prefet = VIEWERS()['prefet of 13']!;
    const response = await subgraph.execute<Data>(
      '{ conventions(first: 100) { totalCount edges { node { departementCode } } } amendments(first: 100) { edges { node { convention { departementCode } } } } }',
      {},
      prefet,
    );
    const data = await succeedsBesidesOutOfReach(response);
    expect(data.conventions.totalCount).toBeGreaterThan(0);
    expect(new Set(data.conventions.edges.map((e: Data) => e.node.departementCode))).toEqual(new Set(['13']));
    expect(new Set(data.amendments.edges.map((e: Data) => e.node.convention.departementCode))).toEqual(new Set(['13']));
  });
});

describe('aggregates count only the rows the viewer may read', () => {
  const FUNDING = 'funding { conventionsSigned committedCents paidCents creditNotesCents postsGranted postsOccupied }';
  const TERRITORIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { ${FUNDING} } ... on Region { ${FUNDING} } ... on Structure { ${FUNDING} } } }`;
  const figures = async (viewer: Viewer, representations: object[]) => {
    const response = await subgraph.execute<Data>(TERRITORIES, { r: representations }, viewer);
    const data = await succeedsBesidesOutOfReach(response);
    return data._entities.map((e: Data) => e.funding);
  };
  const ZERO = { conventionsSigned: 0, committedCents: 0, paidCents: 0, creditNotesCents: 0, postsGranted: 0, postsOccupied: 0 };

  test("a structure's département and région show its own figures only", async () => {
    const viewer = VIEWERS()['structure of Marseille']!;
    const [departement, region, own] = await figures(viewer, [
      { __typename: 'Departement', code: '13' },
      { __typename: 'Region', code: '93' },
      { __typename: 'Structure', id: marseille.structureId },
    ]);
    expect(own).toMatchObject({ conventionsSigned: 1, postsGranted: 1, postsOccupied: 1 });
    expect(own.committedCents).toBeGreaterThan(0);
    expect(departement).toEqual(own);
    expect(region).toEqual(own);
  });

  test('a territory outside reach shows zeros, its own territory its agreements', async () => {
    const viewer = VIEWERS()['prefet of 13']!;
    const [paris75, idf, parisStructure, bdr, region93] = await figures(viewer, [
      { __typename: 'Departement', code: '75' },
      { __typename: 'Region', code: '11' },
      { __typename: 'Structure', id: paris.structureId },
      { __typename: 'Departement', code: '13' },
      { __typename: 'Region', code: '93' },
    ]);
    expect([paris75, idf, parisStructure]).toEqual([ZERO, ZERO, ZERO]);
    expect(bdr.conventionsSigned).toBeGreaterThanOrEqual(1);
    // The région 93 a prefect of the 13 asks for is the part of it in the 13.
    expect(region93).toEqual(bdr);
  });
});

describe('territorial leakage: a prefect of the 13 and a row of the 75', () => {
  const prefet = () => VIEWERS()['prefet of 13']!;

  test('by id, in lists and their counts, in nested fields and through _entities', async () => {
    const response = await subgraph.execute<Data>(
      /* GraphQL */ `
        query ($c: ID!, $p: ID!, $entities: [_Any!]!) {
          convention(id: $c) {
            id
          }
          post(id: $p) {
            id
          }
          conventions(filter: { departementCode: "75" }) {
            totalCount
            edges {
              node {
                id
              }
            }
          }
          region: conventions(filter: { regionCode: "11" }) {
            totalCount
          }
          amendments(filter: { departementCode: "75" }) {
            totalCount
            edges {
              node {
                id
              }
            }
          }
          _entities(representations: $entities) {
            ... on Convention {
              id
            }
            ... on Post {
              id
            }
            ... on Structure {
              conventions {
                id
              }
              posts {
                id
              }
            }
            ... on Conseiller {
              fundedPosts {
                id
              }
              employmentContracts {
                id
                post {
                  id
                }
              }
            }
          }
        }
      `,
      {
        c: paris.conventionId,
        p: paris.postId,
        entities: [
          { __typename: 'Convention', id: paris.conventionId },
          { __typename: 'Post', id: paris.postId },
          { __typename: 'Structure', id: paris.structureId },
          { __typename: 'Conseiller', id: paris.advisorId },
        ],
      },
      prefet(),
    );
    const data = await succeedsBesidesOutOfReach(response);
    expect(data).toEqual({
      convention: null,
      post: null,
      conventions: { totalCount: 0, edges: [] },
      region: { totalCount: 0 },
      amendments: { totalCount: 0, edges: [] },
      _entities: [null, null, { conventions: [], posts: [] }, { fundedPosts: [], employmentContracts: [] }],
    });
  });

  test('the filter adds no statement per row: a page of 1 or of 6 agreements with nested rows costs the same', async () => {
    for (let i = 0; i < 5; i++) await agreement('13', '93');
    const page = (first: number) =>
      countStatements(subgraph.orm, async () => {
        const response = await subgraph.execute<Data>(
          `query ($first: Int!) { conventions(first: $first, filter: { departementCode: "13" }) { edges { node { ${NESTED} structure { id } } } } }`,
          { first },
          prefet(),
        );
        const data = await succeedsBesidesOutOfReach(response);
        expect(data.conventions.edges).toHaveLength(first);
        return data;
      });
    const small = await page(1);
    const large = await page(6);
    // Count and page, then one per nested list: posts, tranches, contracts, the tranches' agreements (for their
    // status), credit notes, amendments; each carries the filter in its WHERE.
    expect(small.total).toBe(8);
    expect(large.total).toBe(small.total);
    expect(large.statements.filter((s) => s.includes('departement_code in'))).toHaveLength(8);
  });
});

describe('advisors reach agreements through their posts, in the same statements', () => {
  test("a coordinator's page of 1 or 6 of its advisors' agreements costs the same", async () => {
    const coordinated = await Promise.all(Array.from({ length: 6 }, () => agreement('29', '53')));
    const coordinator = user('coordinateur', { conseillerIds: coordinated.map((a) => Number(a.advisorId)) });
    const inIdOrder = coordinated.map((a) => a.conventionId).sort((a, b) => Number(a) - Number(b));
    const page = (first: number) =>
      countStatements(subgraph.orm, async () => {
        const response = await subgraph.execute<Data>(
          `query ($first: Int!) { conventions(first: $first) { totalCount edges { node { ${NESTED} } } } }`,
          { first },
          coordinator,
        );
        const data = await succeedsBesidesOutOfReach(response);
        expect(data.conventions.totalCount).toBe(6);
        expect(data.conventions.edges.map((e: Data) => e.node.id)).toEqual(inIdOrder.slice(0, first));
        return data;
      });
    const small = await page(1);
    const large = await page(6);
    expect(small.total).toBe(8);
    expect(large.total).toBe(small.total);
  });
});

describe('writes: who takes each step, on which agreements', () => {
  const SIGN = /* GraphQL */ `
    mutation ($id: ID!) {
      signConvention(input: { conventionId: $id, signedOn: "2022-01-01" }) {
        convention {
          id
        }
      }
    }
  `;
  const PAY = /* GraphQL */ `
    mutation ($id: ID!) {
      markTranchePaid(input: { trancheId: $id, paidOn: "2022-01-15" }) {
        tranche {
          id
        }
      }
    }
  `;
  const TERMINATE = /* GraphQL */ `
    mutation ($id: ID!) {
      terminateConvention(input: { conventionId: $id, kind: EARLY_EXIT, on: "2022-03-01" }) {
        convention {
          id
        }
      }
    }
  `;
  const OPEN = /* GraphQL */ `
    mutation ($input: OpenConventionInput!) {
      openConvention(input: $input) {
        convention {
          id
          structure {
            id
          }
        }
      }
    }
  `;

  const ownOpening = () =>
    openInput(subgraph.orm, {
      structureId: marseille.structureId,
      phase: 'PHASE_2',
      departementCode: '13',
      regionCode: '93',
      network: 'LA_POSTE',
    });

  test('amendments and transfers are no steps here: they are decided in recruitment, a prefecture gives its opinion there', async () => {
    const { __type } = await succeeds(subgraph.execute('{ __type(name: "Mutation") { fields { name } } }'));
    const names = __type.fields.map((f: Data) => f.name);
    for (const gone of ['requestAmendment', 'givePrefectOpinion', 'decideAmendment', 'transferPost']) expect(names).not.toContain(gone);
    const prefet = VIEWERS()['prefet of 13']!;
    await failsWith('FORBIDDEN', subgraph.execute(OPEN, { input: await ownOpening() }, prefet));
    await failsWith('FORBIDDEN', subgraph.execute(SIGN, { id: marseille.conventionId }, prefet));
  });

  test('a structure opens agreements for itself only, located where recruitment says it is', async () => {
    const structure = VIEWERS()['structure of Marseille']!;
    expect(await succeeds(subgraph.execute(OPEN, { input: await ownOpening() }, structure))).toEqual({
      openConvention: { convention: { id: expect.any(String), structure: { id: marseille.structureId } } },
    });
    const ofParis = await openInput(subgraph.orm, {
      structureId: paris.structureId,
      phase: 'PHASE_2',
      departementCode: '75',
      regionCode: '11',
    });
    await failsWith('FORBIDDEN', subgraph.execute(OPEN, { input: ofParis }, structure));
    expect(await em().count(Convention, { structureId: Number(paris.structureId), phase: 'PHASE_2' })).toBe(0);
  });

  test("a structure takes none of the administration's steps", async () => {
    const structure = VIEWERS()['structure of Marseille']!;
    const [tranche] = (
      await succeeds(subgraph.execute('query ($id: ID!) { convention(id: $id) { tranches { id } } }', { id: marseille.conventionId }))
    ).convention.tranches;
    await failsWith('FORBIDDEN', subgraph.execute(SIGN, { id: marseille.conventionId }, structure));
    await failsWith('FORBIDDEN', subgraph.execute(PAY, { id: tranche.id }, structure));
    await failsWith('FORBIDDEN', subgraph.execute(TERMINATE, { id: marseille.conventionId }, structure));
  });

  test.each([
    'conseiller of Marseille',
    'hub of région 93',
    'coordinateur of the 13',
    'grand réseau La Poste',
    'national partner key',
    'anonymous',
  ])('%s writes nothing', async (name) => {
    const viewer = VIEWERS()[name]!;
    await failsWith('FORBIDDEN', subgraph.execute(OPEN, { input: await ownOpening() }, viewer));
    await failsWith('FORBIDDEN', subgraph.execute(SIGN, { id: marseille.conventionId }, viewer));
    await failsWith('FORBIDDEN', subgraph.execute(TERMINATE, { id: marseille.conventionId }, viewer));
  });

  test("nobody keys in a contract, and a structure's renewals and refusals touch its own agreements only", async () => {
    const structure = VIEWERS()['structure of Marseille']!;
    // Contracts received come from recruitment's events only: no mutation writes them.
    const { __type } = await succeeds(subgraph.execute('{ __type(name: "Mutation") { fields { name } } }'));
    expect(__type.fields.map((f: Data) => f.name).filter((name: string) => /contract/i.test(name))).toEqual([]);
    await failsWith(
      'FORBIDDEN',
      subgraph.execute(
        `mutation ($id: ID!) { renewConvention(input: { conventionId: $id, dsNumber: ${uniqueId()} }) { convention { id } } }`,
        { id: paris.conventionId },
        structure,
      ),
    );
    await failsWith(
      'FORBIDDEN',
      subgraph.execute(
        `mutation ($id: ID!) { declineRenewal(input: { conventionId: $id, reason: "Pas de budget" }) { convention { id } } }`,
        { id: paris.conventionId },
        structure,
      ),
    );
    expect(await em().count(Convention, { previousConventionId: Number(paris.conventionId) })).toBe(0);
  });

  test('a post transferred from another structure does not reveal where it came from', async () => {
    // A vacant post of Paris moves to Marseille (recruitment's transfer; only vacant posts move).
    const donor = await createConvention(subgraph.orm, {
      structureId: Number(paris.structureId),
      departementCode: '75',
      regionCode: '11',
      phase: 'PHASE_2',
      startDate: '2022-01-01',
    });
    const [given] = await em().find(Post, { convention: donor.id });
    const transfer = {
      transferId: uniqueId(),
      fromStructureId: Number(paris.structureId),
      toStructureId: Number(marseille.structureId),
      posts: 1,
      on: '2022-03-01',
    };
    await feed(subgraph.orm, 'conventions', postsTransferred, transfer.transferId, transfer);
    const created = await em().findOneOrFail(Post, { transferredFromId: given!.id });
    const moved = { post: { id: String(created.id) } };
    expect(
      await succeeds(
        subgraph.execute('query ($id: ID!) { post(id: $id) { transferredFrom { id } } }', { id: moved.post.id }, SYSTEM_ADMIN),
      ),
    ).toEqual({ post: { transferredFrom: { id: String(given!.id) } } });
    const asMarseille = await succeeds(
      subgraph.execute(
        'query ($id: ID!) { post(id: $id) { id transferredFrom { id } } }',
        { id: moved.post.id },
        VIEWERS()['structure of Marseille']!,
      ),
    );
    expect(asMarseille).toEqual({ post: { id: moved.post.id, transferredFrom: null } });
  });
});
