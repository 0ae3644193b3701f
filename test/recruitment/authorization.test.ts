import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import {
  CoordinatorRequest,
  CoselecDecision,
  MiseEnRelation,
  MiseEnRelationEvent,
  PostRequest,
  Structure,
} from '../../subgraphs/recruitment/entities/index.js';
import type { MiseEnRelationStatus, Network } from '../../subgraphs/recruitment/entities/vocabulary.js';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { errorCodes, failsWith, succeeds, succeedsBesidesOutOfReach, type Data } from '../support/graphql.js';
import { partnerKey as key, user } from '../support/viewers.js';

/**
 * Row-level authorization of the recruitment subgraph, asked of the subgraph itself (as the gateway would call it,
 * `_entities` included) with each kind of viewer: what every role must see, and what it must not.
 */
let subgraph: TestSubgraph;
const em = () => subgraph.orm.em.fork();

const PARIS = { communeCode: '75056', communeName: 'Paris', departementCode: '75', regionCode: '11', latitude: 48.8566, longitude: 2.3522 };
const CONTRACT = { contractType: 'CDI' as const, contractStartDate: '2024-01-08', grossMonthlySalaryCents: 190_000 };

/** A mise en relation with one history event (the factory writes the row only). */
async function mer(structureId: number, conseillerId: number, status: MiseEnRelationStatus, contract = status === 'FINALISEE') {
  const row = await createMiseEnRelation(subgraph.orm, { structureId, conseillerId, status, ...(contract ? CONTRACT : {}) });
  const fork = em();
  fork.create(MiseEnRelationEvent, { miseEnRelation: row.id, fromStatus: null, toStatus: status, actor: 'admin@anct.gouv.fr' });
  await fork.flush();
  return row;
}

/** A validated structure with a committee decision, an advisor in post (contract + history) and a colleague. */
async function site(place: Record<string, unknown>, network: Network | null) {
  const structure = await createStructure(subgraph.orm, {
    ...place,
    network,
    contactEmail: 'direction@example.org',
    contactLastName: 'Martin',
  });
  const fork = em();
  fork.create(CoselecDecision, {
    structure: structure.id,
    postsGranted: 2,
    opinion: 'POSITIF',
    phase: 'PHASE_1',
    validator: 'admin@anct.gouv.fr',
  });
  await fork.flush();
  const advisor = await createConseiller(subgraph.orm, { ...place, structureId: structure.id });
  const colleague = await createConseiller(subgraph.orm, { ...place, structureId: structure.id });
  const contract = await mer(structure.id, advisor.id, 'FINALISEE');
  return {
    structureId: String(structure.id),
    advisorId: String(advisor.id),
    colleagueId: String(colleague.id),
    merId: String(contract.id),
  };
}
type Site = Awaited<ReturnType<typeof site>>;

let marseille: Site;
let paris: Site;
/** A candidate living in Paris, matched with the Marseille structure and preselected by the Paris one. */
let traveller: { id: string; marseilleMer: string; parisMer: string };
/** An available candidate matched with nobody: the pool. */
let pooled: string;
beforeAll(async () => {
  subgraph = await openTestSubgraph('recruitment');
  marseille = await site({}, 'EMMAUS_CONNECT');
  paris = await site(PARIS, null);
  const candidate = await createConseiller(subgraph.orm, PARIS);
  traveller = {
    id: String(candidate.id),
    marseilleMer: String((await mer(Number(marseille.structureId), candidate.id, 'NOUVELLE')).id),
    parisMer: String((await mer(Number(paris.structureId), candidate.id, 'INTERESSEE')).id),
  };
  pooled = String((await createConseiller(subgraph.orm, PARIS)).id);
});
afterAll(async () => {
  await subgraph?.close();
});

const READ = ['structures:read', 'recruitment:read'] as Viewer['scopes'];
const VIEWERS = (): Record<string, Viewer> => ({
  admin: SYSTEM_ADMIN,
  'prefet of 13': user('prefet', { territory: { departements: ['13'], regions: [] }, scopes: READ }),
  'prefet of région 11': user('prefet', { territory: { departements: [], regions: ['11'] }, scopes: READ }),
  'hub of région 93': user('hub', { territory: { departements: [], regions: ['93'] }, scopes: READ }),
  'coordinateur of the 13': user('coordinateur', { territory: { departements: ['13'], regions: [] }, scopes: READ }),
  'coordinateur of the Paris advisor': user('coordinateur', { conseillerIds: [Number(paris.advisorId)], scopes: READ }),
  'structure of Marseille': user('structure', { structureIds: [Number(marseille.structureId)] }),
  'conseiller of Marseille': user('conseiller', { conseillerIds: [Number(marseille.advisorId)], scopes: READ }),
  'grand réseau Emmaüs Connect': user('grand_reseau', { network: 'EMMAUS_CONNECT', scopes: READ }),
  'grand réseau Croix-Rouge': user('grand_reseau', { network: 'CROIX_ROUGE', scopes: READ }),
  'national partner key': key(READ),
  'partner key of the 75': key(READ, { territory: { departements: ['75'], regions: [] } }),
  'partner key without recruitment scopes': key(['statistics:read', 'training:read']),
  anonymous: ANONYMOUS,
});

/** Which of the two sites each viewer must see (structure, its advisor, its contract and their nested rows). */
const EXPECTED: Record<keyof ReturnType<typeof VIEWERS>, ('marseille' | 'paris')[]> = {
  admin: ['marseille', 'paris'],
  'prefet of 13': ['marseille'],
  'prefet of région 11': ['paris'],
  'hub of région 93': ['marseille'],
  'coordinateur of the 13': ['marseille'],
  'coordinateur of the Paris advisor': ['paris'],
  'structure of Marseille': ['marseille'],
  'conseiller of Marseille': ['marseille'],
  'grand réseau Emmaüs Connect': ['marseille'],
  'grand réseau Croix-Rouge': [],
  'national partner key': ['marseille', 'paris'],
  'partner key of the 75': ['paris'],
  'partner key without recruitment scopes': [],
  anonymous: [],
};

const READS = /* GraphQL */ `
  query ($s: ID!, $a: ID!, $m: ID!, $search: String!, $entities: [_Any!]!) {
    structure(id: $s) {
      id
      coselecDecisions {
        id
      }
      contracts {
        id
      }
      occupiedPosts
    }
    structures(first: 10, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    structureStatusCounts(filter: { search: $search }) {
      count
    }
    conseiller(id: $a) {
      id
      structure {
        id
      }
      contracts {
        id
        history {
          toStatus
        }
      }
    }
    conseillers(first: 10, filter: { structureId: $s, status: [RECRUTE] }) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    miseEnRelation(id: $m) {
      id
      structure {
        id
      }
      conseiller {
        id
      }
      history {
        toStatus
      }
    }
    misesEnRelation(first: 10, filter: { structureId: $s, hasContract: true }) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    miseEnRelationStatusCounts(filter: { structureId: $s, hasContract: true }) {
      count
    }
    entities: _entities(representations: $entities) {
      ... on Structure {
        id
      }
      ... on Conseiller {
        id
      }
      ... on MiseEnRelation {
        id
      }
    }
  }
`;

/** Every way of reaching a site: `shown` (everything), `hidden` (null, empty, zero), or the data when in between. */
async function reach(viewer: Viewer, s: Site): Promise<Record<string, unknown>> {
  const response = await subgraph.execute<Data>(
    READS,
    {
      s: s.structureId,
      a: s.advisorId,
      m: s.merId,
      search: s.structureId,
      entities: [
        { __typename: 'Structure', id: s.structureId },
        { __typename: 'Conseiller', id: s.advisorId },
        { __typename: 'MiseEnRelation', id: s.merId },
      ],
    },
    viewer,
  );
  const d = await succeedsBesidesOutOfReach(response);
  const sum = (counts: { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);
  const verdict = (shown: boolean, hidden: boolean, data: unknown) => (shown ? 'shown' : hidden ? 'hidden' : data);
  return {
    'structure by id, its decisions, contracts and occupied posts': verdict(
      d.structure?.coselecDecisions.length === 1 && d.structure.contracts[0]?.id === s.merId && d.structure.occupiedPosts === 1,
      d.structure === null,
      d.structure,
    ),
    'structures list, count and status counts': verdict(
      d.structures.totalCount === 1 && d.structures.edges[0].node.id === s.structureId && sum(d.structureStatusCounts) === 1,
      d.structures.totalCount === 0 && d.structures.edges.length === 0 && sum(d.structureStatusCounts) === 0,
      [d.structures, d.structureStatusCounts],
    ),
    'advisor by id, its employer and contract history': verdict(
      d.conseiller?.structure?.id === s.structureId &&
        d.conseiller.contracts[0]?.id === s.merId &&
        d.conseiller.contracts[0].history.length === 1,
      d.conseiller === null,
      d.conseiller,
    ),
    'contract by id, its structure, advisor and history': verdict(
      d.miseEnRelation?.structure.id === s.structureId &&
        d.miseEnRelation.conseiller.id === s.advisorId &&
        d.miseEnRelation.history.length === 1,
      d.miseEnRelation === null,
      d.miseEnRelation,
    ),
    'contracts list, count and status counts': verdict(
      d.misesEnRelation.totalCount === 1 && sum(d.miseEnRelationStatusCounts) === 1,
      d.misesEnRelation.totalCount === 0 && sum(d.miseEnRelationStatusCounts) === 0,
      [d.misesEnRelation, d.miseEnRelationStatusCounts],
    ),
    '_entities Structure, Conseiller, MiseEnRelation': verdict(
      d.entities.map((e: Data) => e?.id).join() === [s.structureId, s.advisorId, s.merId].join(),
      d.entities.every((e: unknown) => e === null),
      d.entities,
    ),
  };
}

describe('the matrix: each viewer × each path to a structure, its advisor and its contract', () => {
  test.each(Object.keys(EXPECTED))('%s', async (name) => {
    const viewer = VIEWERS()[name]!;
    for (const [label, s] of [
      ['marseille', marseille],
      ['paris', paris],
    ] as const) {
      const seen = await reach(viewer, s);
      const expected = EXPECTED[name]!.includes(label) ? 'shown' : 'hidden';
      expect({ [label]: seen }).toEqual({ [label]: Object.fromEntries(Object.keys(seen).map((k) => [k, expected])) });
    }
  });
});

describe('people', () => {
  const PEOPLE = `query ($ids: [_Any!]!) { _entities(representations: $ids) { ... on Conseiller { id personalData { email } } } }`;
  const people = async (viewer: Viewer, ids: string[]) => {
    const response = await subgraph.execute<Data>(PEOPLE, { ids: ids.map((id) => ({ __typename: 'Conseiller', id })) }, viewer);
    const data = await succeedsBesidesOutOfReach(response);
    return data._entities.map((p: Data) => (p ? { id: p.id, email: Boolean(p.personalData?.email) } : null));
  };

  test('a structure sees its advisors and every candidate of the pool, with their contact details, not other advisors', async () => {
    const seen = await people(VIEWERS()['structure of Marseille']!, [marseille.colleagueId, pooled, traveller.id, paris.advisorId]);
    expect(seen).toEqual([
      { id: marseille.colleagueId, email: true },
      { id: pooled, email: true },
      { id: traveller.id, email: true },
      null,
    ]);
  });

  test('an advisor sees itself, not its colleagues nor the pool; without personal-data:read no contact details', async () => {
    expect(await people(VIEWERS()['conseiller of Marseille']!, [marseille.advisorId, marseille.colleagueId, pooled])).toEqual([
      { id: marseille.advisorId, email: false },
      null,
      null,
    ]);
  });

  test("a prefecture sees its territory's advisors and the candidates matched there, never the pool", async () => {
    expect(await people(VIEWERS()['prefet of 13']!, [marseille.colleagueId, traveller.id, pooled, paris.colleagueId])).toEqual([
      { id: marseille.colleagueId, email: false },
      { id: traveller.id, email: false },
      null,
      null,
    ]);
  });

  test('a coordinator of listed advisors sees them, their structure and contracts, not their colleagues', async () => {
    const viewer = VIEWERS()['coordinateur of the Paris advisor']!;
    const response = await subgraph.execute<Data>(
      `query ($s: ID!) { structure(id: $s) { conseillers { id } } }`,
      { s: paris.structureId },
      viewer,
    );
    const data = await succeedsBesidesOutOfReach(response);
    expect(data.structure.conseillers).toEqual([{ id: paris.advisorId }]);
  });
});

describe('territorial leakage: a prefecture of the 13 never reads a row of the 75', () => {
  const prefet = () => VIEWERS()['prefet of 13']!;

  test('a person matched in both places shows only the 13 match, through the list, the nested fields and _entities', async () => {
    const response = await subgraph.execute<Data>(
      `query ($c: ID!, $r: [_Any!]!) {
        misesEnRelation(first: 10, filter: { conseillerId: $c }) { totalCount edges { node { id structure { departement { code } } } } }
        conseiller(id: $c) { id }
        entities: _entities(representations: $r) { ... on MiseEnRelation { id } }
      }`,
      {
        c: traveller.id,
        r: [
          { __typename: 'MiseEnRelation', id: traveller.marseilleMer },
          { __typename: 'MiseEnRelation', id: traveller.parisMer },
        ],
      },
      prefet(),
    );
    const data = await succeedsBesidesOutOfReach(response);
    expect(data.misesEnRelation).toEqual({
      totalCount: 1,
      edges: [{ node: { id: traveller.marseilleMer, structure: { departement: { code: '13' } } } }],
    });
    expect(data.entities).toEqual([{ id: traveller.marseilleMer }, null]);
  });

  test('unfiltered lists hold only rows of the 13', async () => {
    const response = await subgraph.execute<Data>(
      `{ structures(first: 100) { totalCount edges { node { departement { code } } } }
         conseillers(first: 100, filter: { status: [RECRUTE] }) { edges { node { structure { departement { code } } } } }
         misesEnRelation(first: 100) { edges { node { structure { departement { code } } } } } }`,
      {},
      prefet(),
    );
    const data = await succeedsBesidesOutOfReach(response);
    const codes = (edges: Data[], path: (node: Data) => string) => new Set(edges.map((e) => path(e.node)));
    expect(data.structures.totalCount).toBeGreaterThan(0);
    expect(codes(data.structures.edges, (n) => n.departement.code)).toEqual(new Set(['13']));
    expect(codes(data.conseillers.edges, (n) => n.structure.departement.code)).toEqual(new Set(['13']));
    expect(codes(data.misesEnRelation.edges, (n) => n.structure.departement.code)).toEqual(new Set(['13']));
  });

  test('nearest candidates: around a 75 structure, not found; a région 11 prefecture gets only the people it may read', async () => {
    const NEAREST = `query ($s: ID!) { nearestCandidates(structureId: $s, first: 100) { totalCount edges { node { id } } } }`;
    for (const viewer of [prefet(), VIEWERS()['structure of Marseille']!]) {
      await failsWith('NOT_FOUND', subgraph.execute(NEAREST, { s: paris.structureId }, viewer));
    }
    const ids = async (viewer: Viewer) => {
      const response = await subgraph.execute<Data>(NEAREST, { s: paris.structureId }, viewer);
      const data = await succeedsBesidesOutOfReach(response);
      return { total: data.nearestCandidates.totalCount, ids: data.nearestCandidates.edges.map((e: Data) => e.node.id) };
    };
    expect((await ids(SYSTEM_ADMIN)).ids).toEqual(expect.arrayContaining([pooled, traveller.id]));
    // The traveller is matched with the Paris structure; the pooled candidate with nobody.
    const regional = await ids(VIEWERS()['prefet of région 11']!);
    expect(regional.ids).toContain(traveller.id);
    expect(regional.ids).not.toContain(pooled);
    expect(regional.total).toBe(regional.ids.length);
  });
});

describe('aggregates count only the rows the viewer may read', () => {
  const FIGURES = 'recruitment { structures validatedStructures postsGranted postsOccupied }';
  const TERRITORIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { ${FIGURES} } ... on Region { ${FIGURES} } } }`;
  const figures = async (viewer: Viewer, representations: object[]) => {
    const response = await subgraph.execute<Data>(TERRITORIES, { r: representations }, viewer);
    const data = await succeedsBesidesOutOfReach(response);
    return data._entities.map((e: Data) => e.recruitment);
  };
  const ZERO = { structures: 0, validatedStructures: 0, postsGranted: 0, postsOccupied: 0 };

  test("a structure's département and région show its own figures", async () => {
    const viewer = VIEWERS()['structure of Marseille']!;
    const [departement, region] = await figures(viewer, [
      { __typename: 'Departement', code: '13' },
      { __typename: 'Region', code: '93' },
    ]);
    expect(departement).toEqual({ structures: 1, validatedStructures: 1, postsGranted: 2, postsOccupied: 1 });
    expect(region).toEqual(departement);
  });

  test('a territory outside reach shows zeros; its own, what an administrator sees', async () => {
    const viewer = VIEWERS()['prefet of 13']!;
    const territories = [
      { __typename: 'Departement', code: '75' },
      { __typename: 'Region', code: '11' },
      { __typename: 'Departement', code: '13' },
    ];
    const [paris75, idf, bdr] = await figures(viewer, territories);
    expect([paris75, idf]).toEqual([ZERO, ZERO]);
    const [, , asAdmin] = await figures(SYSTEM_ADMIN, territories);
    expect(bdr).toEqual(asAdmin);
    expect(bdr.structures).toBeGreaterThan(0);
  });

  test('without structures:read, every figure is zero', async () => {
    expect(await figures(ANONYMOUS, [{ __typename: 'Departement', code: '13' }])).toEqual([ZERO]);
  });
});

describe('statement counts: the filter adds no statement per row', () => {
  const PAGE = `query ($s: ID!) { misesEnRelation(first: 100, filter: { structureId: $s }) { totalCount edges { node { id
    structure { id occupiedPosts coselecDecisions { id } } conseiller { id contracts { id } personalData { email } } history { toStatus } } } } }`;
  const statements = async (viewer: Viewer, structureId: string) => {
    const { result, total } = await countStatements(subgraph.orm, () => subgraph.execute<Data>(PAGE, { s: structureId }, viewer));
    const data = await succeedsBesidesOutOfReach(result);
    return { total, rows: data.misesEnRelation.edges.length };
  };

  test('a page of 1 or 6 mises en relation costs the same, for a prefecture and a coordinator of advisors', async () => {
    const small = await createStructure(subgraph.orm);
    const large = await createStructure(subgraph.orm);
    const advisors: number[] = [];
    for (const [structure, n] of [
      [small, 1],
      [large, 6],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const person = await createConseiller(subgraph.orm);
        advisors.push(person.id);
        await mer(structure.id, person.id, 'NOUVELLE');
      }
    }
    for (const viewer of [VIEWERS()['prefet of 13']!, user('coordinateur', { conseillerIds: advisors, scopes: READ }), SYSTEM_ADMIN]) {
      const one = await statements(viewer, String(small.id));
      const six = await statements(viewer, String(large.id));
      expect([one.rows, six.rows]).toEqual([1, 6]);
      expect(six.total).toBe(one.total);
    }
  });
});

describe('who writes', () => {
  const DECLARE = `mutation ($id: ID!) { declareRupture(input: { miseEnRelationId: $id, date: "2025-06-30", reason: DEMISSION }) { miseEnRelation { status rupture { declared { by } } } } }`;
  const statusOf = async (id: string) => (await em().findOneOrFail(MiseEnRelation, Number(id))).status;

  test('a structure declares a rupture on its own contract, recorded as itself, never on another structure’s', async () => {
    const own = await site({}, null);
    const structure = user('structure', { structureIds: [Number(own.structureId)], id: 'u-structure-own' });
    await failsWith('FORBIDDEN', subgraph.execute(DECLARE, { id: paris.merId }, structure));
    expect(await statusOf(paris.merId)).toBe('FINALISEE');
    const mine = await succeeds(subgraph.execute(DECLARE, { id: own.merId }, structure));
    expect(mine.declareRupture.miseEnRelation).toEqual({
      status: 'NOUVELLE_RUPTURE',
      rupture: { declared: { by: 'structure:u-structure-own' } },
    });
  });

  test('only an administrator validates; other roles and callers are refused before anything is written', async () => {
    const target = await site({}, 'EMMAUS_CONNECT');
    const VALIDATE = `mutation ($id: ID!) { validateRupture(input: { miseEnRelationId: $id }) { miseEnRelation { status } } }`;
    await subgraph.execute(DECLARE, { id: target.merId }, SYSTEM_ADMIN);
    for (const name of [
      'structure of Marseille',
      'prefet of 13',
      'hub of région 93',
      'grand réseau Emmaüs Connect',
      'conseiller of Marseille',
      'national partner key',
      'anonymous',
    ]) {
      expect({ [name]: errorCodes(await subgraph.execute(VALIDATE, { id: target.merId }, VIEWERS()[name]!)) }).toEqual({
        [name]: ['FORBIDDEN'],
      });
    }
    expect(await statusOf(target.merId)).toBe('NOUVELLE_RUPTURE');
    await succeeds(subgraph.execute(VALIDATE, { id: target.merId }, SYSTEM_ADMIN));
    expect(await statusOf(target.merId)).toBe('FINALISEE_RUPTURE');
  });

  test('a prefecture gives its opinion on applications of its territory only', async () => {
    const OPINION = `mutation ($id: ID!) { givePrefectOpinionOnApplication(input: { structureId: $id, opinion: POSITIF, comment: "Besoin avéré sur le territoire." }) {
      structure { prefectOpinions { author } } } }`;
    const inside = await createStructure(subgraph.orm, { status: 'CREEE', postQuota: 0 });
    const outside = await createStructure(subgraph.orm, { ...PARIS, status: 'CREEE', postQuota: 0 });
    const prefet = VIEWERS()['prefet of 13']!;
    await failsWith('FORBIDDEN', subgraph.execute(OPINION, { id: outside.id }, prefet));
    const given = await succeeds(subgraph.execute(OPINION, { id: inside.id }, prefet));
    expect(given.givePrefectOpinionOnApplication.structure.prefectOpinions).toEqual([{ author: 'prefet:u-prefet' }]);
    await failsWith('FORBIDDEN', subgraph.execute(OPINION, { id: inside.id }, VIEWERS()['structure of Marseille']!));
  });

  test('a structure preselects a pool candidate for itself, not for another structure; a préfet cannot', async () => {
    const PRESELECT = `mutation ($s: ID!, $c: ID!) { preselectCandidate(input: { structureId: $s, conseillerId: $c }) { miseEnRelation { status history { actor } } } }`;
    const candidate = await createConseiller(subgraph.orm);
    const structure = VIEWERS()['structure of Marseille']!;
    await failsWith('FORBIDDEN', subgraph.execute(PRESELECT, { s: paris.structureId, c: candidate.id }, structure));
    await failsWith('FORBIDDEN', subgraph.execute(PRESELECT, { s: marseille.structureId, c: candidate.id }, VIEWERS()['prefet of 13']!));
    const done = await succeeds(subgraph.execute(PRESELECT, { s: marseille.structureId, c: candidate.id }, structure));
    expect(done.preselectCandidate.miseEnRelation).toEqual({ status: 'INTERESSEE', history: [{ actor: 'structure:u-structure' }] });
  });

  test('a structure gives up its own application, never another one, and never closes one as a duplicate', async () => {
    const CLOSE = `mutation ($id: ID!, $status: StructureStatus!) { closeStructureApplication(input: { structureId: $id, status: $status }) { structure { status } } }`;
    const own = await createStructure(subgraph.orm, { status: 'CREEE', postQuota: 0 });
    const other = await createStructure(subgraph.orm, { status: 'CREEE', postQuota: 0 });
    const structure = user('structure', { structureIds: [own.id] });
    await failsWith('FORBIDDEN', subgraph.execute(CLOSE, { id: other.id, status: 'ABANDON' }, structure));
    await failsWith('FORBIDDEN', subgraph.execute(CLOSE, { id: own.id, status: 'DOUBLON' }, structure));
    const done = await succeeds(subgraph.execute(CLOSE, { id: own.id, status: 'ABANDON' }, structure));
    expect(done.closeStructureApplication.structure).toEqual({ status: 'ABANDON' });
  });

  test('a candidate withdraws its own application only', async () => {
    const AVAILABILITY = `mutation ($c: ID!) { setCandidateAvailability(input: { conseillerId: $c, isAvailable: false }) { conseiller { isAvailable } } }`;
    const me = await createConseiller(subgraph.orm);
    const someoneElse = await createConseiller(subgraph.orm);
    const candidate = user('conseiller', { conseillerIds: [me.id], scopes: READ });
    await failsWith('FORBIDDEN', subgraph.execute(AVAILABILITY, { c: someoneElse.id }, candidate));
    const done = await succeeds(subgraph.execute(AVAILABILITY, { c: me.id }, candidate));
    expect(done.setCandidateAvailability.conseiller).toEqual({ isAvailable: false });
  });
});

describe('every mutation refuses the roles that do not take its step, and the rows outside the viewer’s reach', () => {
  /** A pending post request and coordinator request of the Marseille structure, for the opinion steps. */
  let postRequestId: string;
  let coordinatorRequestId: string;
  beforeAll(async () => {
    const fork = em();
    const structure = Number(marseille.structureId);
    const post = fork.create(PostRequest, {
      structure,
      type: 'AJOUT',
      status: 'EN_COURS',
      postsBefore: 2,
      postsRequested: 1,
      reason: 'RENFORCER_EQUIPE',
      phase: 'PHASE_1',
    });
    const coordinator = fork.create(CoordinatorRequest, { structure, status: 'EN_COURS' });
    await fork.flush();
    [postRequestId, coordinatorRequestId] = [String(post.id), String(coordinator.id)];
  });
  /** The policy (docs/domain.md §2, §5), written out independently of services/access.ts. */
  const ALLOWED: Record<string, Viewer['role'][]> = {
    applyStructure: ['admin', 'structure'],
    givePrefectOpinionOnApplication: ['admin', 'prefet'],
    recordCoselecDecision: ['admin'],
    closeStructureApplication: ['admin', 'structure'],
    requestPosts: ['admin', 'structure'],
    giveBackPosts: ['admin', 'structure'],
    givePostRequestOpinion: ['admin', 'prefet'],
    decidePostRequest: ['admin'],
    transferPosts: ['admin'],
    requestCoordinatorPost: ['admin', 'structure'],
    giveCoordinatorRequestOpinion: ['admin', 'prefet'],
    decideCoordinatorRequest: ['admin'],
    setCoordination: ['admin', 'structure'],
    matchCandidates: ['admin'],
    applyCandidate: ['admin', 'conseiller'],
    deleteCandidate: ['admin', 'conseiller'],
    setCandidateAvailability: ['admin', 'conseiller'],
    preselectCandidate: ['admin', 'structure'],
    rejectCandidate: ['admin', 'structure'],
    reconsiderCandidate: ['admin', 'structure'],
    recruitCandidate: ['admin', 'structure'],
    validateRecruitment: ['admin'],
    cancelRecruitment: ['admin', 'structure'],
    declareRupture: ['admin', 'structure'],
    flagRuptureMissingDocuments: ['admin'],
    validateRupture: ['admin'],
    cancelRupture: ['admin', 'structure'],
    requestContractExtension: ['admin', 'structure'],
    validateContractExtension: ['admin'],
    renewContract: ['admin', 'structure'],
    validateRenewal: ['admin'],
    endContract: ['admin'],
  };
  /** A syntactically valid input per mutation (the role is checked before anything is read or validated). */
  const input = (action: string): string => {
    const s = marseille.structureId;
    const mer = `miseEnRelationId: "${marseille.merId}"`;
    const contract = 'contract: { type: CDI, startDate: "2030-01-07", grossMonthlySalaryCents: 200000 }';
    const opinion = 'opinion: POSITIF, comment: "Un avis motivé de la préfecture."';
    return (
      (
        {
          applyStructure: `name: "Mairie", siret: "21130055300016", type: COMMUNE, communeCode: "13055", missionStartDate: "2030-01-07", requestedAdvisors: 1, confirmCommitment: true,
          contact: { firstName: "Ana", lastName: "Diaz", role: "DGS", email: "ana@example.org", phone: "0491000000" }`,
          givePrefectOpinionOnApplication: `structureId: "${s}", ${opinion}`,
          recordCoselecDecision: `structureId: "${s}", opinion: POSITIF, postsGranted: 3`,
          closeStructureApplication: `structureId: "${s}", status: ABANDON`,
          requestPosts: `structureId: "${s}", posts: 1, reason: RENFORCER_EQUIPE`,
          giveBackPosts: `structureId: "${s}", posts: 1, reason: DIFFICULTES_RECRUTEMENT`,
          givePostRequestOpinion: `postRequestId: "${postRequestId}", ${opinion}`,
          decidePostRequest: `postRequestId: "${postRequestId}", accept: true`,
          transferPosts: `fromStructureId: "${s}", toStructureId: "${paris.structureId}", posts: 1`,
          requestCoordinatorPost: `structureId: "${s}"`,
          giveCoordinatorRequestOpinion: `coordinatorRequestId: "${coordinatorRequestId}", ${opinion}`,
          decideCoordinatorRequest: `coordinatorRequestId: "${coordinatorRequestId}", accept: true`,
          setCoordination: `conseillerId: "${marseille.advisorId}", scope: DEPARTEMENTS, items: ["13"]`,
          matchCandidates: `structureId: "${s}"`,
          applyCandidate:
            'firstName: "Léa", lastName: "Roux", email: "lea@example.org", communeCode: "13055", maxDistanceKm: 40, availableFrom: "2030-01-07", isJobSeeker: true',
          deleteCandidate: `conseillerId: "${pooled}", reason: DOUBLON`,
          setCandidateAvailability: `conseillerId: "${pooled}", isAvailable: false`,
          preselectCandidate: `structureId: "${s}", conseillerId: "${pooled}"`,
          recruitCandidate: `${mer}, ${contract}`,
          declareRupture: `${mer}, date: "2025-06-30", reason: DEMISSION`,
          flagRuptureMissingDocuments: `${mer}, missingDocuments: true`,
          requestContractExtension: `${mer}, requestedEndDate: "2031-01-01"`,
          renewContract: `${mer}, ${contract}`,
        } as Record<string, string>
      )[action] ?? mer
    );
  };
  /** One viewer per role, built when the fixtures exist. */
  const roles = (): Record<string, Viewer> => ({
    admin: SYSTEM_ADMIN,
    prefet: VIEWERS()['prefet of 13']!,
    structure: VIEWERS()['structure of Marseille']!,
    conseiller: VIEWERS()['conseiller of Marseille']!,
    coordinateur: VIEWERS()['coordinateur of the 13']!,
    hub: VIEWERS()['hub of région 93']!,
    grand_reseau: VIEWERS()['grand réseau Emmaüs Connect']!,
    partner: VIEWERS()['national partner key']!,
    anonymous: ANONYMOUS,
  });

  test.each(Object.keys(ALLOWED))('%s', async (action) => {
    const viewers = roles();
    const refused = Object.keys(viewers).filter((role) => !ALLOWED[action]!.includes(role as Viewer['role']));
    const document = `mutation { ${action}(input: { ${input(action)} }) { __typename } }`;
    const answers: Record<string, unknown> = {};
    for (const role of refused) answers[role] = errorCodes(await subgraph.execute(document, {}, viewers[role]!));
    expect(answers).toEqual(Object.fromEntries(refused.map((role) => [role, ['FORBIDDEN']])));
  });

  test('a role taking the step is refused on the rows of another structure or territory, and nothing is written', async () => {
    const elsewhere: Record<string, Viewer> = {
      structure: user('structure', { structureIds: [Number(paris.structureId)] }),
      prefet: user('prefet', { territory: { departements: ['75'], regions: [] }, scopes: READ }),
      conseiller: user('conseiller', { conseillerIds: [Number(paris.advisorId)], scopes: READ }),
    };
    const answers: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const [action, allowed] of Object.entries(ALLOWED)) {
      // Creating a new structure or candidate has no row to be outside of.
      if (action === 'applyStructure' || action === 'applyCandidate') continue;
      for (const role of allowed.filter((r) => r !== 'admin')) {
        const response = await subgraph.execute(`mutation { ${action}(input: { ${input(action)} }) { __typename } }`, {}, elsewhere[role]!);
        answers[`${action} by ${role}`] = errorCodes(response);
        expected[`${action} by ${role}`] = ['FORBIDDEN'];
      }
    }
    expect(answers).toEqual(expected);
    const fork = em();
    expect((await fork.findOneOrFail(MiseEnRelation, Number(marseille.merId))).status).toBe('FINALISEE');
    expect(await fork.findOneOrFail(Structure, Number(marseille.structureId))).toMatchObject({
      status: 'VALIDATION_COSELEC',
      postQuota: 2,
    });
    expect(await fork.findOneOrFail(PostRequest, Number(postRequestId))).toMatchObject({ status: 'EN_COURS', prefectOpinion: null });
    expect(await fork.count(MiseEnRelation, { conseiller: Number(pooled) })).toBe(0);
  });
});
