import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createConseiller, createMiseEnRelation, createStructure } from '../support/factories/recruitment.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { communeInfo } from '../../subgraphs/recruitment/rules/geography.js';
import { territoryRecruitment } from '../../subgraphs/recruitment/services/territory.service.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { succeeds, failsWith, type Data } from '../support/graphql.js';

let recruitment: TestSubgraph;
beforeAll(async () => {
  recruitment = await openTestSubgraph('recruitment');
});
afterAll(async () => {
  await recruitment?.close();
});

/** A région code of its own per test, so lists only see that test's rows (tests share one database). */
const privateRegion = () => `R${String(uniqueId() % 100).padStart(2, '0')}`.slice(0, 3);

describe('structures list', () => {
  test('filters combine; sorting by name pages with stable cursors; totals ignore the page', async () => {
    const regionCode = privateRegion();
    const names = [
      'Centre social Arc-en-ciel',
      'Mairie de Cassis',
      'Association Numérique Solidaire',
      'CCAS de Martigues',
      'Emmaüs Connect Marseille',
    ];
    for (const [i, name] of names.entries()) {
      await createStructure(recruitment.orm, {
        name,
        regionCode,
        type: i % 2 ? 'COMMUNE' : 'PRIVATE',
        network: name.startsWith('Emmaüs') ? 'EMMAUS_CONNECT' : null,
        isZrr: i === 1,
        status: i === 3 ? 'CREEE' : 'VALIDATION_COSELEC',
      });
    }
    const LIST = `query ($filter: StructureFilter, $after: String, $order: StructureOrder) { structures(first: 2, after: $after, filter: $filter, orderBy: $order) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { name } } } }`;
    const byName = { field: 'NAME', direction: 'ASC' };
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const { structures } = (await succeeds(recruitment.execute(LIST, { filter: { regionCode }, after, order: byName }))) as {
        structures: Data;
      };
      expect(structures.totalCount).toBe(5);
      expect(structures.pageInfo.hasPreviousPage).toBe(page > 0);
      seen.push(...structures.edges.map((e: { node: { name: string } }) => e.node.name));
      after = structures.pageInfo.endCursor;
      expect(structures.pageInfo.hasNextPage).toBe(page < 2);
    }
    expect(seen).toEqual([...names].sort());

    const count = async (filter: Record<string, unknown>) =>
      (await succeeds(recruitment.execute(LIST, { filter: { regionCode, ...filter } }))).structures.totalCount;
    expect(await count({ sector: 'PRIVATE' })).toBe(3);
    expect(await count({ sector: 'PUBLIC', type: ['PRIVATE'] })).toBe(0);
    expect(await count({ network: ['EMMAUS_CONNECT'] })).toBe(1);
    expect(await count({ isZrr: true })).toBe(1);
    expect(await count({ status: ['CREEE'] })).toBe(1);
    expect(await count({ search: 'numérique' })).toBe(1);
    // Case and accents do not matter: what people type is not always what was registered.
    expect(await count({ search: 'NUMERIQUE' })).toBe(1);
    expect(await count({ search: 'emmaus connect' })).toBe(1);
    expect((await succeeds(recruitment.execute(LIST, { filter: { regionCode, search: 'EMMAUS' } }))).structures.edges).toEqual([
      { node: { name: 'Emmaüs Connect Marseille' } },
    ]);
    expect(await count({ search: '100%_' })).toBe(0);

    const desc = await succeeds(recruitment.execute(LIST, { filter: { regionCode }, order: { field: 'NAME', direction: 'DESC' } }));
    expect(desc.structures.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([...names].sort().reverse().slice(0, 2));
  });

  test('status counts for the tabs list every status, ignore the status filter, and follow the others', async () => {
    const regionCode = privateRegion();
    for (const status of ['CREEE', 'CREEE', 'VALIDATION_COSELEC', 'DOUBLON'] as const)
      await createStructure(recruitment.orm, { regionCode, status });
    const { structureStatusCounts } = await succeeds(
      recruitment.execute(`query ($r: String!) { structureStatusCounts(filter: { regionCode: $r, status: [DOUBLON] }) { status count } }`, {
        r: regionCode,
      }),
    );
    expect(structureStatusCounts).toHaveLength(8);
    expect(Object.fromEntries(structureStatusCounts.map((c: { status: string; count: number }) => [c.status, c.count]))).toMatchObject({
      CREEE: 2,
      VALIDATION_COSELEC: 1,
      DOUBLON: 1,
      REFUS_COSELEC: 0,
    });
  });

  test('a bad cursor or page size is BAD_USER_INPUT', async () => {
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(`{ structures(after: "nonsense") { totalCount } }`))).toMatchObject({
      field: 'after',
    });
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(`{ conseillers(first: 101) { totalCount } }`))).toMatchObject({
      field: 'first',
    });
  });
});

describe('statement counts stay bounded whatever the page size', () => {
  const DASHBOARD = `query ($r: String!, $first: Int!) { structures(first: $first, filter: { regionCode: $r }) { totalCount edges { node {
      id occupiedPosts departement { name } coselecDecisions { postsGranted } prefectOpinions { opinion } postRequests { status } coordinatorRequests { status }
      conseillers { id personalData { email } contracts { status } }
      contracts { id status extensions { status } history { toStatus } renewalOf { id } renewedBy { id } conseiller { lastName } } } } } }`;

  async function seedRegion(regionCode: string, n: number) {
    for (let i = 0; i < n; i++) {
      const structure = await createStructure(recruitment.orm, { regionCode });
      const advisor = await createConseiller(recruitment.orm, { structureId: structure.id });
      await createMiseEnRelation(recruitment.orm, {
        structureId: structure.id,
        conseillerId: advisor.id,
        status: 'FINALISEE',
        contractType: 'CDI',
        contractStartDate: '2024-01-01',
        grossMonthlySalaryCents: 200_000,
      });
    }
  }

  test('structures with every nested list: the same statements for 3 and 30 rows', async () => {
    const [small, large] = [privateRegion(), privateRegion()];
    await seedRegion(small, 3);
    await seedRegion(large, 30);
    const measure = async (regionCode: string, first: number) => {
      const { result, total, statements } = await countStatements(recruitment.orm, () =>
        recruitment.execute(DASHBOARD, { r: regionCode, first }),
      );
      await succeeds(result);
      return { total, statements };
    };
    const a = await measure(small, 3);
    const b = await measure(large, 30);
    expect(b.total).toBe(a.total);
    // rows + count, then one batch per nested list: occupiedPosts, coselecDecisions, prefectOpinions, postRequests,
    // coordinatorRequests, conseillers, personalData, conseillers' contracts, contracts, extensions, history,
    // renewedBy and the contracts' conseiller (renewalOf is null here, so never loaded).
    expect(a.total).toBe(15);
  });

  test('mises en relation and people lists: the same statements for 2 and 40 rows', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 100 });
    for (let i = 0; i < 40; i++) {
      const candidate = await createConseiller(recruitment.orm);
      await createMiseEnRelation(recruitment.orm, {
        structureId: structure.id,
        conseillerId: candidate.id,
        status: i % 2 ? 'NOUVELLE' : 'INTERESSEE',
      });
    }
    const MERS = `query ($s: ID!, $first: Int!) { misesEnRelation(first: $first, filter: { structureId: $s }) { edges { node { id status structure { name } conseiller { lastName personalData { email } contracts { id } } history { toStatus } } } } }`;
    const PEOPLE = `query ($s: ID!, $first: Int!) { conseillers(first: $first, filter: { structureId: $s }) { edges { node { id structure { id } } } } }`;
    const measure = async (query: string, first: number) =>
      (await countStatements(recruitment.orm, () => recruitment.execute(query, { s: structure.id, first }))).total;
    expect(await measure(MERS, 40)).toBe(await measure(MERS, 2));
    expect(await measure(PEOPLE, 40)).toBe(await measure(PEOPLE, 2));
  });

  test('_entities resolves 100 MiseEnRelation and Departement references in one statement each at most', async () => {
    const structure = await createStructure(recruitment.orm, { postQuota: 100 });
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      const candidate = await createConseiller(recruitment.orm);
      ids.push(
        (await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: candidate.id, status: 'NOUVELLE' })).id,
      );
    }
    const representations = ids.map((id) => ({ __typename: 'MiseEnRelation', id: String(id) }));
    const { result, total } = await countStatements(recruitment.orm, () =>
      recruitment.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on MiseEnRelation { id status } } }`, {
        r: representations,
      }),
    );
    await succeeds(result);
    expect(total).toBe(1);
    const departements = await countStatements(recruitment.orm, () =>
      recruitment.execute(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Departement { code name region { name } } } }`, {
        r: ['13', '2A', '971'].map((code) => ({ __typename: 'Departement', code })),
      }),
    );
    expect(departements.result.data).toEqual({
      _entities: [
        { code: '13', name: 'Bouches-du-Rhône', region: { name: "Provence-Alpes-Côte d'Azur" } },
        { code: '2A', name: 'Corse-du-Sud', region: { name: 'Corse' } },
        { code: '971', name: 'Guadeloupe', region: { name: 'Guadeloupe' } },
      ],
    });
    expect(departements.total).toBe(0);
  });
});

describe('mises en relation list', () => {
  test('filters by status, contract, missing documents and text; counts per status for the tabs', async () => {
    const structure = await createStructure(recruitment.orm, { name: `Tiers-lieu Zéphyr ${uniqueId()}`, postQuota: 10 });
    const mk = async (status: 'NOUVELLE' | 'FINALISEE' | 'NOUVELLE_RUPTURE', extra: Record<string, unknown> = {}) => {
      const person = await createConseiller(recruitment.orm, { lastName: `Zorglub${uniqueId()}` });
      return createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: person.id, status, ...extra });
    };
    const contract = {
      contractType: 'CDD',
      contractStartDate: '2024-01-01',
      contractEndDate: '2025-12-31',
      grossMonthlySalaryCents: 190_000,
    };
    await mk('NOUVELLE');
    await mk('NOUVELLE');
    await mk('FINALISEE', { ...contract, contractType: 'CDI', contractEndDate: null });
    await mk('NOUVELLE_RUPTURE', { ...contract, ruptureDate: '2025-01-31', ruptureReason: 'DEMISSION', ruptureMissingDocuments: true });
    const LIST = `query ($f: MiseEnRelationFilter!) { misesEnRelation(first: 50, filter: $f, orderBy: { field: UPDATED_AT, direction: DESC }) { totalCount edges { node { status } } } }`;
    const total = async (filter: Record<string, unknown>) =>
      (await succeeds(recruitment.execute(LIST, { f: { structureId: String(structure.id), ...filter } }))).misesEnRelation.totalCount;
    expect(await total({})).toBe(4);
    expect(await total({ hasContract: true })).toBe(2);
    expect(await total({ contractType: ['CDD'] })).toBe(1);
    expect(await total({ ruptureMissingDocuments: true })).toBe(1);
    expect(await total({ status: ['NOUVELLE'] })).toBe(2);
    expect(await total({ search: 'zéphyr' })).toBe(4);
    expect(await total({ search: 'ZEPHYR' })).toBe(4);
    expect(await total({ search: 'zorglub', departementCode: '13', communeCode: '13055', sector: 'PUBLIC' })).toBe(4);
    expect(await total({ communeCode: '13001' })).toBe(0);
    expect(await total({ sector: 'PRIVATE' })).toBe(0);

    const counts = await succeeds(
      recruitment.execute(`query ($s: ID!) { miseEnRelationStatusCounts(filter: { structureId: $s }) { status count } }`, {
        s: structure.id,
      }),
    );
    expect(counts.miseEnRelationStatusCounts).toHaveLength(12);
    expect(counts.miseEnRelationStatusCounts.filter((c: { count: number }) => c.count > 0)).toEqual([
      { status: 'NOUVELLE', count: 2 },
      { status: 'FINALISEE', count: 1 },
      { status: 'NOUVELLE_RUPTURE', count: 1 },
    ]);
  });
});

describe('nearest available candidates', () => {
  test('within each candidate own maximum distance, nearest first, paginated', async () => {
    // A structure in Brest and candidates around it (no other test lives in Finistère), at their GeoNames centres.
    const at = (code: string) => {
      const c = communeInfo(code)!;
      return {
        communeCode: c.code,
        departementCode: c.departementCode,
        regionCode: c.regionCode,
        latitude: c.latitude,
        longitude: c.longitude,
      };
    };
    const structure = await createStructure(recruitment.orm, at('29019'));
    const near = await createConseiller(recruitment.orm, { ...at('29075'), maxDistanceKm: 10 }); // Guipavas
    const middle = await createConseiller(recruitment.orm, { ...at('29103'), maxDistanceKm: 40 }); // Landerneau
    const far = await createConseiller(recruitment.orm, { ...at('29232'), maxDistanceKm: 100 }); // Quimper
    await createConseiller(recruitment.orm, { ...at('29232'), maxDistanceKm: 20 }); // too far for its own limit
    await createConseiller(recruitment.orm, { ...at('29075'), maxDistanceKm: 100, isAvailable: false }); // withdrawn
    await createConseiller(recruitment.orm, { ...at('29019'), latitude: null, longitude: null }); // no coordinates

    const NEAREST = `query ($s: ID!, $after: String) { nearestCandidates(structureId: $s, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { distanceKm node { id } } } }`;
    const first = (await succeeds(recruitment.execute(NEAREST, { s: structure.id }))).nearestCandidates;
    expect(first.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([String(near.id), String(middle.id)]);
    const [d1, d2] = first.edges.map((e: { distanceKm: number }) => e.distanceKm);
    expect(d1).toBeGreaterThan(3);
    expect(d1).toBeLessThan(10);
    expect(d2).toBeGreaterThan(d1);
    expect(d2).toBeLessThan(40);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // Candidates of other tests accepting 2,000 km may follow; ours comes first on the next page.
    const second = (await succeeds(recruitment.execute(NEAREST, { s: structure.id, after: first.pageInfo.endCursor }))).nearestCandidates;
    expect(second.edges[0].node.id).toBe(String(far.id));
    expect(second.edges[0].distanceKm).toBeGreaterThan(40);
    expect(second.edges[0].distanceKm).toBeLessThan(100);
    // The structure, the page, the total, then the page's people: four statements for any page size.
    for (const size of [1, 50]) {
      const { result, total } = await countStatements(recruitment.orm, () =>
        recruitment.execute(`query ($s: ID!, $n: Int!) { nearestCandidates(structureId: $s, first: $n) { edges { node { id } } } }`, {
          s: structure.id,
          n: size,
        }),
      );
      await succeeds(result);
      expect(total).toBe(4);
    }
  });
});

describe('matching', () => {
  test('creates NOUVELLE matches for available candidates within reach, once', async () => {
    // Ajaccio: only this test's candidates live in Corsica.
    const ajaccio = { communeCode: '2A004', departementCode: '2A', regionCode: '94', latitude: 41.91886, longitude: 8.73812 };
    const structure = await createStructure(recruitment.orm, ajaccio);
    const near = await createConseiller(recruitment.orm, { ...ajaccio, maxDistanceKm: 5 });
    const alreadyRejected = await createConseiller(recruitment.orm, { ...ajaccio, maxDistanceKm: 5 });
    await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: alreadyRejected.id, status: 'NON_INTERESSEE' });
    await createConseiller(recruitment.orm, { ...ajaccio, maxDistanceKm: 5, isAvailable: false });
    const MATCH = `mutation ($s: ID!) { matchCandidates(input: { structureId: $s }) { created structure { id } } }`;
    const first = await succeeds(recruitment.execute(MATCH, { s: structure.id }));
    // Candidates elsewhere (Marseille, Lyon…) are beyond their own maximum distance, except those accepting 2,000 km (capped at 500 km).
    const matched = await succeeds(
      recruitment.execute(
        `query ($s: ID!) { misesEnRelation(first: 100, filter: { structureId: $s, status: [NOUVELLE] }) { edges { node { origin distanceKm conseiller { id } history { fromStatus toStatus } } } } }`,
        { s: structure.id },
      ),
    );
    const ours = matched.misesEnRelation.edges.map((e: Data) => e.node).filter((n: Data) => n.conseiller.id === String(near.id));
    expect(ours).toEqual([
      { origin: 'MATCHING', distanceKm: 0, conseiller: { id: String(near.id) }, history: [{ fromStatus: null, toStatus: 'NOUVELLE' }] },
    ]);
    expect(matched.misesEnRelation.edges.some((e: Data) => e.node.conseiller.id === String(alreadyRejected.id))).toBe(false);
    expect(first.matchCandidates.created).toBe(matched.misesEnRelation.edges.length);
    expect((await succeeds(recruitment.execute(MATCH, { s: structure.id }))).matchCandidates.created).toBe(0);
    const pending = await createStructure(recruitment.orm, { ...ajaccio, status: 'CREEE', postQuota: 0 });
    await failsWith('CONFLICT', recruitment.execute(MATCH, { s: pending.id }));
  });

  test("the structure's candidates tab filters on Pix, CV and diploma", async () => {
    const structure = await createStructure(recruitment.orm);
    const withAll = await createConseiller(recruitment.orm, {
      pixShared: true,
      pixLevel: 2,
      cvUploadedAt: new Date(),
      hasMedNumDiploma: true,
      medNumDiplomaName: 'REMN',
    });
    const bare = await createConseiller(recruitment.orm);
    for (const c of [withAll, bare])
      await createMiseEnRelation(recruitment.orm, { structureId: structure.id, conseillerId: c.id, status: 'NOUVELLE' });
    const ids = async (filter: Record<string, unknown>) =>
      (
        await succeeds(
          recruitment.execute(
            `query ($f: MiseEnRelationFilter!) { misesEnRelation(filter: $f) { edges { node { conseiller { id } } } } }`,
            { f: { structureId: structure.id, ...filter } },
          ),
        )
      ).misesEnRelation.edges.map((e: Data) => Number(e.node.conseiller.id));
    expect(await ids({ candidateHasPix: true })).toEqual([withAll.id]);
    expect(await ids({ candidateHasCv: false })).toEqual([bare.id]);
    expect(await ids({ candidateHasDiploma: true, candidateHasCv: true })).toEqual([withAll.id]);
  });
});

describe('territories', () => {
  test('recruitment figures per département and région, batched in two statements for any number of territories', async () => {
    // A letter prefix no real département (nor another test file, e.g. 974) uses: the figures are this test's alone.
    const departementCode = `D${String(uniqueId() % 100).padStart(2, '0')}`;
    const regionCode = privateRegion();
    const a = await createStructure(recruitment.orm, { departementCode, regionCode, postQuota: 3 });
    await createStructure(recruitment.orm, { departementCode, regionCode, postQuota: 0, status: 'CREEE' });
    const advisor = await createConseiller(recruitment.orm, { structureId: a.id });
    await createMiseEnRelation(recruitment.orm, {
      structureId: a.id,
      conseillerId: advisor.id,
      status: 'FINALISEE',
      contractType: 'CDI',
      contractStartDate: '2024-01-01',
      grossMonthlySalaryCents: 200_000,
    });
    const em = recruitment.orm.em.fork();
    const { result, total } = await countStatements(recruitment.orm, () =>
      territoryRecruitment(em, SYSTEM_ADMIN, { level: 'departementCode', codes: [departementCode, '9ZZ'] }),
    );
    expect(result).toEqual([
      { structures: 2, validatedStructures: 1, postsGranted: 3, postsOccupied: 1 },
      { structures: 0, validatedStructures: 0, postsGranted: 0, postsOccupied: 0 },
    ]);
    expect(total).toBe(2);
    expect(await territoryRecruitment(em, SYSTEM_ADMIN, { level: 'regionCode', codes: [regionCode] })).toEqual([
      { structures: 2, validatedStructures: 1, postsGranted: 3, postsOccupied: 1 },
    ]);

    const all = await countStatements(recruitment.orm, () =>
      recruitment.execute(`{ regions { code name departements { code name recruitment { structures } } recruitment { postsGranted } } }`),
    );
    const { regions } = await succeeds<{ regions: { code: string; departements: unknown[] }[] }>(all.result);
    // The 18 régions, plus the overseas collectivities INSEE lists with their own code (975…989).
    expect(regions.filter((r) => r.code.length === 2)).toHaveLength(18);
    expect(regions.map((r) => r.code)).toContain('988');
    expect(regions.find((r) => r.code === '93')!.departements).toHaveLength(6);
    expect(all.total).toBe(4);
  });
});

describe('date ranges', () => {
  test('applications and contract starts by day, both ends included; a reversed range is BAD_USER_INPUT', async () => {
    const regionCode = privateRegion();
    for (const day of ['2021-03-01', '2021-03-31', '2021-04-01'])
      await createStructure(recruitment.orm, { regionCode, createdAt: new Date(`${day}T23:30:00Z`) });
    const STRUCTURES = `query ($f: StructureFilter!) { structures(filter: $f) { totalCount } }`;
    const count = async (filter: Record<string, unknown>) =>
      (await succeeds(recruitment.execute(STRUCTURES, { f: { regionCode, ...filter } }))).structures.totalCount;
    expect(await count({ appliedFrom: '2021-03-01', appliedTo: '2021-03-31' })).toBe(2);
    expect(await count({ appliedFrom: '2021-04-01' })).toBe(1);
    expect(
      await failsWith('BAD_USER_INPUT', recruitment.execute(STRUCTURES, { f: { appliedFrom: '2021-05-01', appliedTo: '2021-04-01' } })),
    ).toMatchObject({ field: 'filter.appliedFrom' });

    const structure = await createStructure(recruitment.orm, { postQuota: 5 });
    for (const start of ['2022-01-03', '2023-06-01', '2024-09-02']) {
      const person = await createConseiller(recruitment.orm);
      await createMiseEnRelation(recruitment.orm, {
        structureId: structure.id,
        conseillerId: person.id,
        status: 'FINALISEE',
        contractType: 'CDI',
        contractStartDate: start,
        grossMonthlySalaryCents: 200_000,
      });
    }
    const contracts = await succeeds(
      recruitment.execute(
        `query ($s: ID!) { misesEnRelation(filter: { structureId: $s, contractStartFrom: "2023-01-01", contractStartTo: "2024-09-02" }) { edges { node { contract { startDate } } } } }`,
        { s: structure.id },
      ),
    );
    expect(contracts.misesEnRelation.edges.map((e: Data) => e.node.contract.startDate)).toEqual(['2023-06-01', '2024-09-02']);
  });
});

describe('advisors by employer territory and by coordinator', () => {
  test("a coordinator's advisors: listed ids, or those in post in the listed départements", async () => {
    // A letter prefix no real département nor other test uses: these rows are this test's alone.
    const departementCode = `E${String(uniqueId() % 100).padStart(2, '0')}`;
    const home = await createStructure(recruitment.orm, { departementCode });
    const elsewhere = await createStructure(recruitment.orm);
    const inTerritory = await createConseiller(recruitment.orm, { structureId: home.id });
    const outside = await createConseiller(recruitment.orm, { structureId: elsewhere.id });
    await createConseiller(recruitment.orm, { departementCode }); // lives there, employed nowhere
    const byTerritory = await createConseiller(recruitment.orm, {
      structureId: home.id,
      isCoordinator: true,
      coordinationScope: 'DEPARTEMENTS',
      coordinatedItems: [departementCode],
    });
    const byList = await createConseiller(recruitment.orm, {
      structureId: elsewhere.id,
      isCoordinator: true,
      coordinationScope: 'CONSEILLERS',
      coordinatedItems: [String(outside.id)],
    });
    const LIST = `query ($f: ConseillerFilter!) { conseillers(first: 100, filter: $f) { edges { node { id } } } }`;
    const ids = async (filter: Record<string, unknown>) =>
      (await succeeds(recruitment.execute(LIST, { f: filter }))).conseillers.edges.map((e: Data) => Number(e.node.id));
    expect(await ids({ coordinatedBy: byTerritory.id })).toEqual([inTerritory.id, byTerritory.id]);
    expect(await ids({ coordinatedBy: byList.id })).toEqual([outside.id]);
    expect(await ids({ employerDepartementCode: departementCode })).toEqual([inTerritory.id, byTerritory.id]);
    expect(await ids({ coordinatedBy: inTerritory.id })).toEqual([]);
    expect(await failsWith('BAD_USER_INPUT', recruitment.execute(LIST, { f: { coordinatedBy: '2147000003' } }))).toMatchObject({
      field: 'filter.coordinatedBy',
    });
  });
});
