import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import type { PlaceInput } from '../../subgraphs/activity/rules/place-validation.js';
import { createPlace } from '../../subgraphs/activity/services/place.service.js';
import { craInput, createCra } from '../support/factories/activity.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { migrate } from '../../common/db.js';
import { failsWith, succeeds, succeedsBesidesOutOfReach, type Data } from '../support/graphql.js';
import { partnerKey as key, user } from '../support/viewers.js';

/**
 * Row-level authorization of the activity subgraph, asked of the subgraph itself (as the gateway would call it,
 * `_entities` included) with each kind of viewer: what every role must see, and what it must not.
 *
 * Two structures, each with one advisor: Marseille (13, région 93) and Paris (75, région 11). The Marseille advisor
 * also held one session in Paris, so a report's territory (its session's commune) and its structure differ.
 */
let subgraph: TestSubgraph;

const MARSEILLE = { communeCode: '13055', postalCode: '13001' };
const PARIS = { communeCode: '75056', postalCode: '75001' };
const ids = { marseille: 0, paris: 0, advisorM: 0, advisorP: 0 };
/** Report ids by name: `m13a`, `m13b` (Marseille advisor in 13), `m75` (Marseille advisor in Paris), `p1`–`p3` (Paris advisor). */
const reports: Record<string, string> = {};
const places: Record<'marseille' | 'paris', string> = { marseille: '', paris: '' };

const open = { morningOpens: '09:00', morningCloses: '12:00' };
const placeInput = (structureId: number, conseillerId: number, where: typeof MARSEILLE): PlaceInput => ({
  structureId,
  name: 'Permanence',
  street: 'rue de la République',
  ...where,
  openingHours: [open, open, open, open, open, {}, {}],
  accessTypes: ['LIBRE'],
  conseillers: [{ conseillerId, mainPlace: true }],
});

// National figures count every report of the database: other files file and delete 2024 reports while these compare
// two reads, so this file has a database of its own.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('conum_activity_authz', { migrated: true });
  subgraph = await openTestSubgraph('activity', database.url);
  await migrate(subgraph.orm);
  Object.assign(ids, { marseille: uniqueId(), paris: uniqueId(), advisorM: uniqueId(), advisorP: uniqueId() });
  const m = { conseillerId: String(ids.advisorM), structureId: String(ids.marseille) };
  const p = { conseillerId: String(ids.advisorP), structureId: String(ids.paris) };
  const filed = {
    m13a: { ...m, ...MARSEILLE, date: '2024-03-05' },
    m75: { ...m, ...PARIS, date: '2024-03-06' },
    m13b: { ...m, ...MARSEILLE, date: '2024-06-05' },
    p1: { ...p, ...PARIS, date: '2024-03-05' },
    p2: { ...p, ...PARIS, date: '2024-03-07' },
    p3: { ...p, ...PARIS, date: '2024-06-20' },
  };
  for (const [name, overrides] of Object.entries(filed)) reports[name] = String((await createCra(subgraph.orm, overrides)).id);
  const em = subgraph.orm.em.fork() as EntityManager;
  places.marseille = String((await createPlace(em, SYSTEM_ADMIN, { place: placeInput(ids.marseille, ids.advisorM, MARSEILLE) })).id);
  places.paris = String((await createPlace(em, SYSTEM_ADMIN, { place: placeInput(ids.paris, ids.advisorP, PARIS) })).id);
});
afterAll(async () => {
  await subgraph?.close();
  await database?.drop();
});

const VIEWERS = (): Record<string, Viewer> => ({
  admin: SYSTEM_ADMIN,
  'prefet of 13': user('prefet', { territory: { departements: ['13'], regions: [] } }),
  'prefet of région 11': user('prefet', { territory: { departements: [], regions: ['11'] } }),
  'hub of région 93': user('hub', { territory: { departements: [], regions: ['93'] } }),
  'coordinateur of the Paris advisor': user('coordinateur', { conseillerIds: [ids.advisorP] }),
  'structure of Marseille': user('structure', { structureIds: [ids.marseille] }),
  'conseiller of Marseille': user('conseiller', { conseillerIds: [ids.advisorM] }),
  // No activity row stores a network: a grand réseau reaches nothing here (fail closed).
  'grand réseau': user('grand_reseau', { network: 'LA_POSTE' }),
  'national partner key': key(['activity:read', 'statistics:read']),
  'partner key of the 75': key(['activity:read', 'statistics:read'], { territory: { departements: ['75'], regions: [] } }),
  'statistics-only partner key': key(['statistics:read']),
  anonymous: ANONYMOUS,
});

/** The policy table: the reports and places each viewer must see (and so, by difference, must not). */
const EXPECTED: Record<string, { reports: string[]; places: ('marseille' | 'paris')[] }> = {
  admin: { reports: ['m13a', 'm13b', 'm75', 'p1', 'p2', 'p3'], places: ['marseille', 'paris'] },
  'prefet of 13': { reports: ['m13a', 'm13b'], places: ['marseille'] },
  'prefet of région 11': { reports: ['m75', 'p1', 'p2', 'p3'], places: ['paris'] },
  'hub of région 93': { reports: ['m13a', 'm13b'], places: ['marseille'] },
  'coordinateur of the Paris advisor': { reports: ['p1', 'p2', 'p3'], places: ['paris'] },
  'structure of Marseille': { reports: ['m13a', 'm13b', 'm75'], places: ['marseille'] },
  'conseiller of Marseille': { reports: ['m13a', 'm13b', 'm75'], places: ['marseille'] },
  'grand réseau': { reports: [], places: [] },
  'national partner key': { reports: ['m13a', 'm13b', 'm75', 'p1', 'p2', 'p3'], places: ['marseille', 'paris'] },
  'partner key of the 75': { reports: ['m75', 'p1', 'p2', 'p3'], places: ['paris'] },
  'statistics-only partner key': { reports: [], places: [] },
  anonymous: { reports: [], places: [] },
};

const nameOf = (id: string) => Object.entries(reports).find(([, v]) => v === id)?.[0] ?? `other:${id}`;
const names = (list: { id: string }[]) => list.map((r) => nameOf(r.id)).sort();
const sorted = (list: string[]) => [...list].sort();

const REPORT_READS = /* GraphQL */ `
  query ($m: ID!, $p: ID!, $sm: ID!, $sp: ID!, $all: [_Any!]!, $people: [_Any!]!, $structures: [_Any!]!) {
    byAdvisorM: cras(filter: { conseillerId: $m }, first: 100) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    byAdvisorP: cras(filter: { conseillerId: $p }, first: 100) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    byStructureM: cras(filter: { structureId: $sm }, first: 100) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    byStructureP: cras(filter: { structureId: $sp }, first: 100) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
    entities: _entities(representations: $all) {
      ... on Cra {
        id
        history {
          action
        }
      }
    }
    people: _entities(representations: $people) {
      ... on Conseiller {
        cras(last: 100) {
          id
        }
      }
    }
    structures: _entities(representations: $structures) {
      ... on Structure {
        cras(last: 100) {
          id
        }
      }
    }
  }
`;

/** Every way of reading reports, each as the sorted names of the reports it showed. */
async function readReports(viewer: Viewer): Promise<Record<string, string[]>> {
  const byId = await Promise.all(
    Object.values(reports).map(async (id) => {
      const data = await succeedsBesidesOutOfReach(subgraph.execute(`query ($id: ID!) { cra(id: $id) { id } }`, { id }, viewer));
      return data.cra;
    }),
  );
  const d = await succeedsBesidesOutOfReach(
    subgraph.execute(
      REPORT_READS,
      {
        m: String(ids.advisorM),
        p: String(ids.advisorP),
        sm: String(ids.marseille),
        sp: String(ids.paris),
        all: Object.values(reports).map((id) => ({ __typename: 'Cra', id })),
        people: [ids.advisorM, ids.advisorP].map((id) => ({ __typename: 'Conseiller', id: String(id) })),
        structures: [ids.marseille, ids.paris].map((id) => ({ __typename: 'Structure', id: String(id) })),
      },
      viewer,
    ),
  );
  const listed = (...lists: Data[]) => {
    const nodes = lists.flatMap((l) => l.edges.map((e: Data) => e.node));
    // The count agrees with the rows: the filter is in the count's SQL too.
    expect(lists.reduce((sum, l) => sum + l.totalCount, 0)).toBe(nodes.length);
    return names(nodes);
  };
  return {
    'cra(id)': names(byId.filter(Boolean)),
    'cras by advisor': listed(d.byAdvisorM, d.byAdvisorP),
    'cras by structure': listed(d.byStructureM, d.byStructureP),
    '_entities(Cra)': names(d.entities.filter(Boolean)),
    'Conseiller.cras': names(d.people.flatMap((c: Data) => c.cras)),
    'Structure.cras': names(d.structures.flatMap((s: Data) => s.cras)),
  };
}

describe('who sees which reports', () => {
  test('the policy table covers every viewer', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(VIEWERS()).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name}: lists, by id, nested fields and _entities show the same reports`, async () => {
      const seen = await readReports(VIEWERS()[name]!);
      const want = sorted(expected.reports);
      expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((k) => [k, want])));
    });
  }

  test('a préfet of 13 cannot read a report of the 75, whatever the path', async () => {
    const prefet = VIEWERS()['prefet of 13']!;
    const id = reports.p1!;
    const direct = await subgraph.execute<Data>(`query ($id: ID!) { cra(id: $id) { id } }`, { id }, prefet);
    const entities = await subgraph.execute<Data>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cra { id communeCode } } }`,
      { r: [{ __typename: 'Cra', id }] },
      prefet,
    );
    const history = await subgraph.execute<Data>(`query ($id: ID!) { craHistory(craId: $id) { id } }`, { id }, prefet);
    const nested = await subgraph.execute<Data>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { cras { id } places { id } } } }`,
      { r: [{ __typename: 'Conseiller', id: String(ids.advisorP) }] },
      prefet,
    );
    const [d, e, h, n] = await Promise.all([direct, entities, history, nested].map((r) => succeedsBesidesOutOfReach(r)));
    expect([d.cra, e._entities, h.craHistory, n._entities]).toEqual([null, [null], [], [{ cras: [], places: [] }]]);
    // While an administrator reads it through the same paths.
    const admin = await succeeds(subgraph.execute(`query ($id: ID!) { cra(id: $id) { id } craHistory(craId: $id) { action } }`, { id }));
    expect(admin).toEqual({ cra: { id }, craHistory: [{ action: 'CREATED' }] });
  });

  test('an audit trail stays visible to those who saw the report, before or after a change, and after it is deleted', async () => {
    const conseillerId = String(uniqueId());
    const cra = await createCra(subgraph.orm, { conseillerId, structureId: String(ids.marseille), ...MARSEILLE });
    // Moved from Marseille to Paris, then deleted.
    await succeeds(
      subgraph.execute(`mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { id } } }`, {
        input: { id: String(cra.id), cra: craInput({ conseillerId, ...PARIS }) },
      }),
    );
    await succeeds(
      subgraph.execute(`mutation ($input: DeleteCraInput!) { deleteCra(input: $input) { id } }`, { input: { id: String(cra.id) } }),
    );
    const trail = async (viewer: Viewer) => {
      const data = await succeedsBesidesOutOfReach(
        subgraph.execute(`query ($id: ID!) { craHistory(craId: $id) { action } }`, { id: String(cra.id) }, viewer),
      );
      return data.craHistory.map((e: { action: string }) => e.action);
    };
    const v = VIEWERS();
    expect(await trail(v['prefet of 13']!)).toEqual(['CREATED', 'UPDATED']);
    expect(await trail(v['prefet of région 11']!)).toEqual(['UPDATED', 'DELETED']);
    expect(await trail(v['structure of Marseille']!)).toEqual(['CREATED', 'UPDATED', 'DELETED']);
    expect(await trail(v['coordinateur of the Paris advisor']!)).toEqual([]);
    expect(await trail(v.anonymous!)).toEqual([]);
  });
});

describe('who sees which places', () => {
  const READS = /* GraphQL */ `
    query ($ids: [_Any!]!, $people: [_Any!]!, $structures: [_Any!]!, $m: ID!, $p: ID!) {
      m: place(id: $m) {
        id
      }
      p: place(id: $p) {
        id
      }
      in13: places(filter: { departementCode: "13" }, first: 100) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
      in75: places(filter: { departementCode: "75" }, first: 100) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
      entities: _entities(representations: $ids) {
        ... on Place {
          id
        }
      }
      people: _entities(representations: $people) {
        ... on Conseiller {
          places {
            id
          }
        }
      }
      structures: _entities(representations: $structures) {
        ... on Structure {
          places {
            id
          }
        }
      }
    }
  `;
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name}`, async () => {
      const d = await succeedsBesidesOutOfReach(
        subgraph.execute(
          READS,
          {
            m: places.marseille,
            p: places.paris,
            ids: [places.marseille, places.paris].map((id) => ({ __typename: 'Place', id })),
            people: [ids.advisorM, ids.advisorP].map((id) => ({ __typename: 'Conseiller', id: String(id) })),
            structures: [ids.marseille, ids.paris].map((id) => ({ __typename: 'Structure', id: String(id) })),
          },
          VIEWERS()[name]!,
        ),
      );
      const ours = (list: { id: string }[]) =>
        list
          .filter(Boolean)
          .map((p) => (p.id === places.marseille ? 'marseille' : p.id === places.paris ? 'paris' : null))
          .filter(Boolean)
          .sort();
      const want = sorted(expected.places);
      expect({
        'place(id)': ours([d.m, d.p]),
        places: ours([...d.in13.edges, ...d.in75.edges].map((e: Data) => e.node)),
        '_entities(Place)': ours(d.entities),
        'Conseiller.places': ours(d.people.flatMap((c: Data) => c.places)),
        'Structure.places': ours(d.structures.flatMap((s: Data) => s.places)),
      }).toEqual({ 'place(id)': want, places: want, '_entities(Place)': want, 'Conseiller.places': want, 'Structure.places': want });
    });
  }
});

describe('statistics: territorial ones are public, those about advisors and structures count only visible reports', () => {
  const reportDates: Record<string, string> = {
    m13a: '2024-03-05',
    m75: '2024-03-06',
    m13b: '2024-06-05',
    p1: '2024-03-05',
    p2: '2024-03-07',
    p3: '2024-06-20',
  };
  /** The viewer's visible reports among `names` held in the period (the spring leaves p3 out). */
  const count = (viewerName: string, names: string[], period: 'year' | 'spring') =>
    EXPECTED[viewerName]!.reports.filter(
      (r) => names.includes(r) && (period === 'year' || (reportDates[r]! >= '2024-02-15' && reportDates[r]! <= '2024-06-10')),
    ).length;
  const QUERY = /* GraphQL */ `
    query ($from: Date!, $to: Date!, $m: ID!, $p: ID!, $sm: ID!, $people: [_Any!]!, $structures: [_Any!]!, $territories: [_Any!]!) {
      advisorM: craStatistics(filter: { from: $from, to: $to, conseillerId: $m }) {
        totals {
          reports
        }
        monthly {
          reports
        }
      }
      advisorPIn75: craStatistics(filter: { from: $from, to: $to, conseillerId: $p, departementCode: "75" }) {
        totals {
          reports
        }
      }
      structureM: craStatistics(filter: { from: $from, to: $to, structureId: $sm }) {
        totals {
          reports
        }
      }
      people: _entities(representations: $people) {
        ... on Conseiller {
          craStatistics(from: $from, to: $to) {
            totals {
              reports
            }
          }
        }
      }
      structures: _entities(representations: $structures) {
        ... on Structure {
          craStatistics(from: $from, to: $to) {
            totals {
              reports
            }
          }
        }
      }
      territories: _entities(representations: $territories) {
        ... on Departement {
          craStatistics(from: $from, to: $to) {
            totals {
              reports
              participants
            }
          }
        }
        ... on Region {
          craStatistics(from: $from, to: $to) {
            totals {
              reports
              participants
            }
          }
        }
      }
      commune: craStatistics(filter: { from: $from, to: $to, communeCode: "13055" }) {
        totals {
          reports
        }
      }
      national: craStatistics(filter: { from: $from, to: $to }) {
        totals {
          reports
        }
      }
    }
  `;
  const run = (viewer: Viewer, from: string, to: string) =>
    succeedsBesidesOutOfReach(
      subgraph.execute(
        QUERY,
        {
          from,
          to,
          m: String(ids.advisorM),
          p: String(ids.advisorP),
          sm: String(ids.marseille),
          people: [ids.advisorM, ids.advisorP].map((id) => ({ __typename: 'Conseiller', id: String(id) })),
          structures: [ids.marseille, ids.paris].map((id) => ({ __typename: 'Structure', id: String(id) })),
          territories: [
            { __typename: 'Departement', code: '13' },
            { __typename: 'Departement', code: '75' },
            { __typename: 'Region', code: '11' },
          ],
        },
        viewer,
      ),
    );
  // Whole months (per-advisor aggregates) and a period with partial months at both ends (reports for the edges).
  for (const [period, from, to] of [
    ['year', '2024-01-01', '2024-12-31'],
    ['spring', '2024-02-15', '2024-06-10'],
  ] as const) {
    test(`every viewer, ${from} → ${to}`, async () => {
      const admin = await run(SYSTEM_ADMIN, from, to);
      for (const [name, viewer] of Object.entries(VIEWERS())) {
        const d = await run(viewer, from, to);
        const M = ['m13a', 'm13b', 'm75'];
        const P = ['p1', 'p2', 'p3'];
        expect({
          name,
          about: [
            d.advisorM.totals.reports,
            d.advisorPIn75.totals.reports,
            d.structureM.totals.reports,
            ...d.people.map((c: Data) => c.craStatistics.totals.reports),
            ...d.structures.map((s: Data) => s.craStatistics.totals.reports),
          ],
        }).toEqual({
          name,
          about: [
            count(name, M, period),
            count(name, P, period),
            count(name, M, period),
            count(name, M, period),
            count(name, P, period),
            count(name, M, period),
            count(name, P, period),
          ],
        });
        expect(d.advisorM.monthly.reduce((sum: number, m: { reports: number }) => sum + m.reports, 0)).toBe(count(name, M, period));
        // Public: the same figures for everyone, anonymous included.
        expect({ name, territories: d.territories, commune: d.commune, national: d.national }).toEqual({
          name,
          territories: admin.territories,
          commune: admin.commune,
          national: admin.national,
        });
      }
      expect(admin.territories[1].craStatistics.totals.reports).toBeGreaterThanOrEqual(count('admin', ['m75', 'p1', 'p2', 'p3'], period));
    });
  }

  test('activity groups and an advisor’s activity count only advisors whose latest report is within reach', async () => {
    const never = uniqueId();
    const query = `query ($ids: [ID!]!, $people: [_Any!]!) {
      craActivityGroups(filter: { asOf: "2024-06-20", conseillerIds: $ids }) { group count }
      _entities(representations: $people) { ... on Conseiller { craActivity(asOf: "2024-06-20") { group reports lastReportDate } } } }`;
    const run = async (viewer: Viewer) => {
      const data = await succeedsBesidesOutOfReach(
        subgraph.execute(
          query,
          {
            ids: [ids.advisorM, ids.advisorP, never].map(String),
            people: [ids.advisorM, ids.advisorP].map((id) => ({ __typename: 'Conseiller', id: String(id) })),
          },
          viewer,
        ),
      );
      const groups = Object.fromEntries(data.craActivityGroups.map((g: { group: string; count: number }) => [g.group, g.count]));
      return { groups, advisors: data._entities.map((c: Data) => c.craActivity) };
    };
    const v = VIEWERS();
    const [activeM, activeP] = [
      { group: 'ACTIVE', reports: 3, lastReportDate: '2024-06-05' },
      { group: 'ACTIVE', reports: 3, lastReportDate: '2024-06-20' },
    ];
    const unseen = { group: 'NEVER', reports: 0, lastReportDate: null };
    expect(await run(SYSTEM_ADMIN)).toEqual({
      groups: { ACTIVE: 2, INACTIVE_30_DAYS: 0, NEVER: 1, NONE_THIS_YEAR: 0 },
      advisors: [activeM, activeP],
    });
    expect(await run(v['prefet of 13']!)).toEqual({
      groups: { ACTIVE: 1, INACTIVE_30_DAYS: 0, NEVER: 1, NONE_THIS_YEAR: 0 },
      advisors: [activeM, unseen],
    });
    expect(await run(v['coordinateur of the Paris advisor']!)).toEqual({
      groups: { ACTIVE: 1, INACTIVE_30_DAYS: 0, NEVER: 1, NONE_THIS_YEAR: 0 },
      advisors: [unseen, activeP],
    });
    expect(await run(v.anonymous!)).toEqual({
      groups: { ACTIVE: 0, INACTIVE_30_DAYS: 0, NEVER: 1, NONE_THIS_YEAR: 0 },
      advisors: [unseen, unseen],
    });
  });
});

describe('who writes', () => {
  const FILE = `mutation ($input: CraInput!) { fileCra(input: $input) { cra { id history { actorId actorRole } } } }`;
  const UPDATE = `mutation ($input: UpdateCraInput!) { updateCra(input: $input) { cra { id } } }`;
  const DELETE = `mutation ($input: DeleteCraInput!) { deleteCra(input: $input) { id } }`;
  const CREATE = `mutation ($input: PlaceInput!) { createPlace(input: $input) { place { id structure { id } } } }`;
  const UPDATE_PLACE = `mutation ($input: UpdatePlaceInput!) { updatePlace(input: $input) { place { id name } } }`;
  const totalOf = async (conseillerId: number) =>
    (
      await succeeds(
        subgraph.execute(`query ($id: ID!) { cras(filter: { conseillerId: $id }) { totalCount } }`, { id: String(conseillerId) }),
      )
    ).cras.totalCount;
  const ours = () => ({ ...placeInput(ids.marseille, ids.advisorM, MARSEILLE), structureId: String(ids.marseille) });

  test('an advisor files, edits and deletes its own reports, and nobody else’s', async () => {
    const v = VIEWERS();
    const me = v['conseiller of Marseille']!;
    const mine = craInput({ conseillerId: String(ids.advisorM) });
    const filed = await succeeds(subgraph.execute(FILE, { input: mine }, me));
    expect(filed.fileCra.cra.history).toEqual([{ actorId: 'u-conseiller', actorRole: 'conseiller' }]);
    const id = filed.fileCra.cra.id;
    await succeeds(subgraph.execute(UPDATE, { input: { id, cra: { ...mine, date: '2024-03-02' } } }, me));
    await succeeds(subgraph.execute(DELETE, { input: { id } }, me));

    const before = await totalOf(ids.advisorP);
    const theirs = craInput({ conseillerId: String(ids.advisorP) });
    await failsWith('FORBIDDEN', subgraph.execute(FILE, { input: theirs }, me));
    await failsWith(
      'FORBIDDEN',
      subgraph.execute(
        `mutation ($input: FileCrasInput!) { fileCras(input: $input) { cras { id } } }`,
        { input: { cras: [mine, theirs] } },
        me,
      ),
    );
    await failsWith('FORBIDDEN', subgraph.execute(UPDATE, { input: { id: reports.p1, cra: theirs } }, me));
    await failsWith('FORBIDDEN', subgraph.execute(DELETE, { input: { id: reports.p1 } }, me));
    expect(await totalOf(ids.advisorP)).toBe(before);
  });

  test.each(Object.keys(EXPECTED).filter((name) => name !== 'admin' && name !== 'conseiller of Marseille'))(
    '%s files, edits and deletes no report',
    async (name) => {
      const viewer = VIEWERS()[name]!;
      const before = await totalOf(ids.advisorM);
      const input = craInput({ conseillerId: String(ids.advisorM) });
      await failsWith('FORBIDDEN', subgraph.execute(FILE, { input }, viewer));
      await failsWith('FORBIDDEN', subgraph.execute(UPDATE, { input: { id: reports.m13a, cra: input } }, viewer));
      await failsWith('FORBIDDEN', subgraph.execute(DELETE, { input: { id: reports.m13a } }, viewer));
      expect(await totalOf(ids.advisorM)).toBe(before);
    },
  );

  test('a structure manages its own places only', async () => {
    const structure = VIEWERS()['structure of Marseille']!;
    const created = await succeeds(subgraph.execute(CREATE, { input: ours() }, structure));
    const renamed = await succeeds(
      subgraph.execute(
        UPDATE_PLACE,
        { input: { id: created.createPlace.place.id, place: { ...ours(), name: 'Maison France Services' } } },
        structure,
      ),
    );
    expect(renamed).toEqual({ updatePlace: { place: { id: created.createPlace.place.id, name: 'Maison France Services' } } });

    const theirs = { ...placeInput(ids.paris, ids.advisorP, PARIS), structureId: String(ids.paris) };
    await failsWith('FORBIDDEN', subgraph.execute(CREATE, { input: theirs }, structure));
    await failsWith('FORBIDDEN', subgraph.execute(UPDATE_PLACE, { input: { id: places.paris, place: theirs } }, structure));
    // Nor hand its own place to another structure.
    await failsWith('FORBIDDEN', subgraph.execute(UPDATE_PLACE, { input: { id: places.marseille, place: theirs } }, structure));
    const unchanged = await succeeds(
      subgraph.execute(`query ($id: ID!) { place(id: $id) { structure { id } } }`, { id: places.marseille }),
    );
    expect(unchanged).toEqual({ place: { structure: { id: String(ids.marseille) } } });
  });

  test.each(['conseiller of Marseille', 'prefet of 13', 'national partner key', 'anonymous'])('%s creates no place', async (name) => {
    await failsWith('FORBIDDEN', subgraph.execute(CREATE, { input: ours() }, VIEWERS()[name]!));
  });
});

describe('the row filter adds no statement per row', () => {
  test('nested fields of 2 or 40 advisors, and a page of 2 or 40 reports, cost the same for a restricted viewer', async () => {
    const prefet = VIEWERS()['prefet of 13']!;
    const conseillerId = String(uniqueId());
    for (let day = 1; day <= 40; day++)
      await createCra(subgraph.orm, {
        conseillerId,
        structureId: String(ids.marseille),
        ...MARSEILLE,
        date: `2024-0${1 + (day % 5)}-${String(1 + (day % 28)).padStart(2, '0')}`,
      });
    const nested = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller { cras(last: 5) { id place { id } history { action } } places { id }
      craActivity(asOf: "2024-06-20") { group } craStatistics(from: "2024-01-10", to: "2024-05-20") { totals { reports } } } ... on Structure { cras { id } places { id } } } }`;
    const people = (n: number) =>
      [...Array.from({ length: n - 1 }, () => String(uniqueId())), conseillerId].map((id) => ({ __typename: 'Conseiller', id }));
    const counts = [];
    for (const n of [2, 40]) {
      const { result, total } = await countStatements(subgraph.orm, () =>
        subgraph.execute<Data>(nested, { r: [...people(n), { __typename: 'Structure', id: String(ids.marseille) }] }, prefet),
      );
      expect((await succeedsBesidesOutOfReach(result))._entities.at(-2).cras).toHaveLength(5);
      counts.push(total);
    }
    expect(counts[0]).toBe(counts[1]);

    const page = `query ($id: ID!, $first: Int!) { cras(filter: { conseillerId: $id }, first: $first) { totalCount edges { node { id place { id } history { action } } } } }`;
    const pages = [];
    for (const first of [2, 40]) {
      const { result, total } = await countStatements(subgraph.orm, () =>
        subgraph.execute<Data>(page, { id: conseillerId, first }, prefet),
      );
      const data = await succeedsBesidesOutOfReach(result);
      expect(data.cras).toMatchObject({ totalCount: 40 });
      expect(data.cras.edges).toHaveLength(first);
      pages.push(total);
    }
    expect(pages[0]).toBe(pages[1]);
    // Seen by a préfet of another territory: nothing, for the same number of statements.
    const elsewhere = await countStatements(subgraph.orm, () =>
      subgraph.execute<Data>(page, { id: conseillerId, first: 40 }, VIEWERS()['prefet of région 11']),
    );
    expect((await succeeds(elsewhere.result)).cras).toEqual({ totalCount: 0, edges: [] });
    expect(elsewhere.total).toBeLessThanOrEqual(pages[1]!);
    console.log(
      `activity authorization: nested fields of 2 and 40 advisors ${counts.join(' / ')} statements; pages of 2 and 40 reports ${pages.join(' / ')} statements`,
    );
  });
});
