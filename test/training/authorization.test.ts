import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { Absence, Learner, ModuleRegistration, TrainingPath } from '../../subgraphs/training/entities/index.js';
import { grantExemption, recordCertificationResult } from '../../subgraphs/training/services/certification.service.js';
import { registerForModule } from '../../subgraphs/training/services/module.service.js';
import { confirmSession } from '../../subgraphs/training/services/session.service.js';
import {
  enrolInSession,
  openTrainingPath,
  recordAbsence,
  startTrainingPath,
} from '../../subgraphs/training/services/training-path.service.js';
import { createLot, createModule, createSession, hireAdvisor } from '../support/factories/training.js';
import { uniqueId } from '../support/ids.js';
import { countStatements } from '../support/sql-counter.js';
import { openTestSubgraph, type TestSubgraph } from '../support/subgraph.js';
import { failsWith, succeeds, succeedsBesidesOutOfReach, type Data } from '../support/graphql.js';
import { partnerKey, user } from '../support/viewers.js';

/**
 * Row-level authorization of the training subgraph, asked of the subgraph itself (as the gateway would call it,
 * `_entities` included) with each kind of viewer: what every role must see, and what it must not.
 */
let training: TestSubgraph;
const em = () => training.orm.em.fork();
const admin = SYSTEM_ADMIN;

/**
 * One structure with two advisors: A follows a 175 h path in `sessionId` (started, one absence, one thematic
 * module), B is exempted as a CCP1 holder and passed Pix.
 */
async function structure(departementCode: string, regionCode: string, sessionId: number, moduleId: number) {
  const structureId = uniqueId();
  const a = uniqueId();
  const b = uniqueId();
  for (const conseillerId of [a, b]) await hireAdvisor(training.orm, { conseillerId, structureId, departementCode, regionCode });
  const path = await openTrainingPath(em(), admin, { conseillerId: a, hours: 175, plannedStartDate: '2025-03-03' });
  await enrolInSession(em(), admin, { trainingPathId: path.id, sessionId });
  await startTrainingPath(em(), admin, { trainingPathId: path.id, on: '2025-03-03' });
  const absence = await recordAbsence(em(), admin, { trainingPathId: path.id, date: '2025-03-10', hours: 3 });
  const registration = await registerForModule(em(), admin, { conseillerId: a, moduleId, date: '2025-04-01' });
  await grantExemption(em(), admin, { conseillerId: b, reason: 'CCP1_HOLDER', grantedOn: '2024-05-01' });
  const attempt = await recordCertificationResult(em(), admin, {
    conseillerId: b,
    type: 'PIX',
    date: '2024-06-01',
    pixSkillLevels: [5, 6, 5],
  });
  return { structureId, a, b, pathId: path.id, absenceId: absence.id, registrationId: registration.id, attemptId: attempt.id };
}
type Place = Awaited<ReturnType<typeof structure>>;

let lotId: number;
let moduleId: number;
/** Sessions: in Marseille (13) with Marseille's A, in Paris (75) empty, remote from La Réunion (974) with Paris's A. */
const sessions = { marseille: 0, paris: 0, reunion: 0 };
let marseille: Place;
let paris: Place;
beforeAll(async () => {
  training = await openTestSubgraph('training');
  lotId = (await createLot(training.orm)).id;
  moduleId = (await createModule(training.orm)).id;
  sessions.marseille = (await createSession(training.orm, { lotId, departementCode: '13' })).id;
  sessions.paris = (await createSession(training.orm, { lotId, departementCode: '75', place: 'Paris' })).id;
  sessions.reunion = (
    await createSession(training.orm, {
      lotId,
      departementCode: '974',
      place: 'Saint-Denis',
      plannedModality: 'REMOTE',
      modality: 'REMOTE',
    })
  ).id;
  for (const id of Object.values(sessions)) await confirmSession(em(), admin, { sessionId: id });
  marseille = await structure('13', '93', sessions.marseille, moduleId);
  paris = await structure('75', '11', sessions.reunion, moduleId);
});
afterAll(async () => {
  await training?.close();
});

const key = (restriction: Partial<Viewer>): Viewer => partnerKey(['training:read'], restriction);
const VIEWERS = (): Record<string, Viewer> => ({
  admin,
  'prefet of 13': user('prefet', { territory: { departements: ['13'], regions: [] } }),
  'prefet of région 11': user('prefet', { territory: { departements: [], regions: ['11'] } }),
  'hub of région 93': user('hub', { territory: { departements: [], regions: ['93'] } }),
  'coordinateur of the 13': user('coordinateur', { territory: { departements: ['13'], regions: [] } }),
  "coordinateur of Paris's A": user('coordinateur', { conseillerIds: [paris.a] }),
  'structure of Marseille': user('structure', { structureIds: [marseille.structureId] }),
  "Marseille's A (conseiller)": user('conseiller', { conseillerIds: [marseille.a] }),
  grand_reseau: user('grand_reseau', { network: 'La Poste' }),
  'national partner key': key({}),
  'partner key of the 75': key({ territory: { departements: ['75'], regions: [] } }),
  'partner key without training:read': key({ scopes: ['statistics:read'] }),
  anonymous: ANONYMOUS,
});

/** Who sees what: advisors (M = Marseille, P = Paris; A or B), sessions, and the summaries given whole. */
interface Expected {
  advisors: string[];
  sessions: (keyof typeof sessions)[];
  summaries: string[];
}
const NONE: Expected = { advisors: [], sessions: [], summaries: [] };
const EVERYTHING: Expected = {
  advisors: ['MA', 'MB', 'PA', 'PB'],
  sessions: ['marseille', 'paris', 'reunion'],
  summaries: ['Departement 13', 'Departement 75', 'Region 93', 'Region 11', 'Structure M', 'Structure P'],
};
const EXPECTED: Record<string, Expected> = {
  admin: EVERYTHING,
  'prefet of 13': { advisors: ['MA', 'MB'], sessions: ['marseille'], summaries: ['Departement 13'] },
  'prefet of région 11': { advisors: ['PA', 'PB'], sessions: ['paris', 'reunion'], summaries: ['Departement 75', 'Region 11'] },
  'hub of région 93': { advisors: ['MA', 'MB'], sessions: ['marseille'], summaries: ['Departement 13', 'Region 93'] },
  'coordinateur of the 13': { advisors: ['MA', 'MB'], sessions: ['marseille'], summaries: ['Departement 13'] },
  "coordinateur of Paris's A": { advisors: ['PA'], sessions: ['reunion'], summaries: [] },
  'structure of Marseille': { advisors: ['MA', 'MB'], sessions: ['marseille'], summaries: ['Structure M'] },
  "Marseille's A (conseiller)": { advisors: ['MA'], sessions: ['marseille'], summaries: [] },
  grand_reseau: NONE,
  'national partner key': EVERYTHING,
  'partner key of the 75': { advisors: ['PA', 'PB'], sessions: ['paris', 'reunion'], summaries: ['Departement 75'] },
  'partner key without training:read': NONE,
  anonymous: NONE,
};

const ROOTS = `query ($ms: ID!, $ps: ID!, $mPath: ID!, $pPath: ID!, $lot: ID!, $sM: ID!, $sP: ID!, $sR: ID!) {
  mFollowUp: trainingFollowUp(filter: { structureId: $ms }) { totalCount edges { node { id } } }
  pFollowUp: trainingFollowUp(filter: { structureId: $ps }) { totalCount edges { node { id } } }
  mPath: trainingPath(id: $mPath) { id absences { id } session { id } }
  pPath: trainingPath(id: $pPath) { id absences { id } session { id } }
  sessions: trainingSessions(first: 100, filter: { lotId: $lot }) { totalCount edges { node { id } } }
  marseille: trainingSession(id: $sM) { id enrolledCount trainingPaths { conseiller { id } } }
  paris: trainingSession(id: $sP) { id }
  reunion: trainingSession(id: $sR) { id enrolledCount trainingPaths { conseiller { id } } }
}`;
const ADVISORS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Conseiller {
  id trainingPaths { id absences { id } } trainingPath { id } exemption { reason } certifications { id } moduleRegistrations { id }
  certificationLevel pixCertified continuingEducation(asOf: "2026-06-01") { late }
} ... on TrainingPath { id conseiller { id } } } }`;
const SUMMARIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on Departement { code training(asOf: "2026-06-01") { advisors exempted } }
  ... on Region { code training(asOf: "2026-06-01") { advisors exempted } }
  ... on Structure { id training(asOf: "2026-06-01") { advisors exempted } }
} }`;

type Advisor = {
  id: string;
  trainingPaths: { id: string; absences: { id: string }[] }[];
  trainingPath: { id: string } | null;
  exemption: { reason: string } | null;
  certifications: { id: string }[];
  moduleRegistrations: { id: string }[];
  certificationLevel: string;
  pixCertified: boolean;
  continuingEducation: { late: boolean } | null;
};

async function observe(viewer: Viewer) {
  const roots = await succeeds(
    training.execute(
      ROOTS,
      {
        ms: String(marseille.structureId),
        ps: String(paris.structureId),
        mPath: String(marseille.pathId),
        pPath: String(paris.pathId),
        lot: String(lotId),
        sM: String(sessions.marseille),
        sP: String(sessions.paris),
        sR: String(sessions.reunion),
      },
      viewer,
    ),
  );
  const people = { MA: marseille.a, MB: marseille.b, PA: paris.a, PB: paris.b };
  const entities = await succeedsBesidesOutOfReach<{ _entities: (Advisor | { id: string; conseiller: { id: string } } | null)[] }>(
    training.execute(
      ADVISORS,
      {
        r: [
          ...Object.values(people).map((id) => ({ __typename: 'Conseiller', id: String(id) })),
          { __typename: 'TrainingPath', id: String(marseille.pathId) },
          { __typename: 'TrainingPath', id: String(paris.pathId) },
        ],
      },
      viewer,
    ),
  );
  const advisors = entities._entities.slice(0, 4) as Advisor[];
  const summaryKeys = {
    'Departement 13': { __typename: 'Departement', code: '13' },
    'Departement 75': { __typename: 'Departement', code: '75' },
    'Region 93': { __typename: 'Region', code: '93' },
    'Region 11': { __typename: 'Region', code: '11' },
    'Structure M': { __typename: 'Structure', id: String(marseille.structureId) },
    'Structure P': { __typename: 'Structure', id: String(paris.structureId) },
  };
  const summaries = await training.execute<{ _entities: ({ training: { advisors: number; exempted: number } } | null)[] }>(
    SUMMARIES,
    { r: Object.values(summaryKeys) },
    viewer,
  );
  return {
    roots: roots as Record<string, Data>,
    advisors,
    paths: entities._entities.slice(4),
    summaries,
    summaryNames: Object.keys(summaryKeys),
    people,
  };
}

describe('who sees which training rows', () => {
  test.each(Object.keys(EXPECTED))('%s', async (name) => {
    const viewer = VIEWERS()[name]!;
    const expected = EXPECTED[name]!;
    const seen = await observe(viewer);
    const sees = (who: string) => expected.advisors.includes(who);

    // Lists: the follow-up of each structure holds exactly the visible advisors, its count too.
    const listed = [...seen.roots.mFollowUp.edges, ...seen.roots.pFollowUp.edges].map((e: { node: { id: string } }) => e.node.id).sort();
    const visibleIds = Object.entries(seen.people)
      .filter(([who]) => sees(who))
      .map(([, id]) => String(id))
      .sort();
    expect(listed).toEqual(visibleIds);
    expect(seen.roots.mFollowUp.totalCount + seen.roots.pFollowUp.totalCount).toBe(visibleIds.length);

    // By id, root field and `_entities`: a path outside the reach is null, its absences and session follow it.
    expect(seen.roots.mPath?.id ?? null).toBe(sees('MA') ? String(marseille.pathId) : null);
    expect(seen.roots.pPath?.id ?? null).toBe(sees('PA') ? String(paris.pathId) : null);
    if (sees('MA'))
      expect(seen.roots.mPath).toMatchObject({
        absences: [{ id: String(marseille.absenceId) }],
        session: { id: String(sessions.marseille) },
      });
    if (sees('PA'))
      expect(seen.roots.pPath).toMatchObject({ absences: [{ id: String(paris.absenceId) }], session: { id: String(sessions.reunion) } });
    expect(seen.paths.map((f) => (f as { id: string } | null)?.id ?? null)).toEqual([
      sees('MA') ? String(marseille.pathId) : null,
      sees('PA') ? String(paris.pathId) : null,
    ]);

    // Nested fields of `Conseiller` through `_entities`: an advisor outside the reach shows no training at all.
    for (const [index, who] of ['MA', 'MB', 'PA', 'PB'].entries()) {
      const advisor = seen.advisors[index]!;
      const place = who.startsWith('M') ? marseille : paris;
      if (!sees(who)) {
        expect(advisor).toMatchObject({
          trainingPaths: [],
          trainingPath: null,
          exemption: null,
          certifications: [],
          moduleRegistrations: [],
          certificationLevel: 'NONE',
          pixCertified: false,
          continuingEducation: null,
        });
      } else if (who.endsWith('A')) {
        expect(advisor).toMatchObject({
          trainingPaths: [{ id: String(place.pathId), absences: [{ id: String(place.absenceId) }] }],
          trainingPath: { id: String(place.pathId) },
          moduleRegistrations: [{ id: String(place.registrationId) }],
        });
        expect(advisor.continuingEducation).not.toBeNull();
      } else {
        expect(advisor).toMatchObject({
          exemption: { reason: 'CCP1_HOLDER' },
          certifications: [{ id: String(place.attemptId) }],
          certificationLevel: 'CCP1',
          pixCertified: true,
        });
      }
    }

    // Sessions: list, by id, and paths (only the visible ones; the seat count is the session's, whole).
    const listedSessions = seen.roots.sessions.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    expect(listedSessions).toEqual(expected.sessions.map((s) => String(sessions[s])).sort());
    expect(seen.roots.sessions.totalCount).toBe(expected.sessions.length);
    for (const s of ['marseille', 'paris', 'reunion'] as const)
      expect(seen.roots[s]?.id ?? null).toBe(expected.sessions.includes(s) ? String(sessions[s]) : null);
    if (seen.roots.marseille) {
      expect(seen.roots.marseille.enrolledCount).toBe(1);
      expect(seen.roots.marseille.trainingPaths).toEqual(sees('MA') ? [{ conseiller: { id: String(marseille.a) } }] : []);
    }
    if (seen.roots.reunion) {
      expect(seen.roots.reunion.enrolledCount).toBe(1);
      expect(seen.roots.reunion.trainingPaths).toEqual(sees('PA') ? [{ conseiller: { id: String(paris.a) } }] : []);
    }

    // Aggregates: given whole inside the reach, FORBIDDEN outside it (that entity's figures alone, null), never partial.
    const { data, errors = [] } = seen.summaries;
    seen.summaryNames.forEach((summary, index) => {
      const refused = errors.filter((e) => (e as { path?: unknown[] }).path?.[1] === index);
      if (expected.summaries.includes(summary)) {
        expect(refused).toEqual([]);
        expect(data!._entities[index]!.training.advisors).toBeGreaterThanOrEqual(2);
        expect(data!._entities[index]!.training.exempted).toBeGreaterThanOrEqual(1);
      } else {
        expect(refused.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
        expect(data!._entities[index]!.training).toBeNull();
      }
    });
    if (expected.summaries.includes('Structure M')) {
      expect(data!._entities[seen.summaryNames.indexOf('Structure M')]!.training).toEqual({ advisors: 2, exempted: 1 });
    }
  });
});

describe('territorial leakage: a préfet of the 13 and a row of the 75', () => {
  const prefet = user('prefet', { territory: { departements: ['13'], regions: [] } });

  test('follow-up filtered on the 75 or on its région is empty, aliases enumerating ids find nothing', async () => {
    const result = await succeeds(
      training.execute(
        `query ($p: ID!, $a: ID!, $b: ID!) {
          byDepartement: trainingFollowUp(filter: { departementCode: "75" }) { totalCount }
          byRegion: trainingFollowUp(filter: { regionCode: "11" }) { totalCount }
          p1: trainingPath(id: $p) { id } p2: trainingPath(id: $a) { id } p3: trainingPath(id: $b) { id }
          sessions75: trainingSessions(filter: { departementCode: "75" }) { totalCount }
        }`,
        { p: String(paris.pathId), a: String(paris.pathId + 1), b: String(paris.pathId - 1) },
        prefet,
      ),
    );
    expect(result).toMatchObject({
      byDepartement: { totalCount: 0 },
      byRegion: { totalCount: 0 },
      p1: null,
      sessions75: { totalCount: 0 },
    });
    for (const alias of ['p2', 'p3'] as const) {
      const path = result[alias] as { id: string } | null;
      // A neighbouring id (other tests share the database) may only come back when it is a path of the 13.
      if (path) {
        const { conseillerId } = await em().findOneOrFail(TrainingPath, Number(path.id));
        expect((await em().findOneOrFail(Learner, conseillerId)).departementCode).toBe('13');
      }
    }
  });

  test('the 75 summary is refused while the 13 one in the same request is given', async () => {
    const result = await training.execute<{ _entities: ({ code: string; training: { advisors: number } | null } | null)[] }>(
      SUMMARIES,
      {
        r: [
          { __typename: 'Departement', code: '75' },
          { __typename: 'Departement', code: '13' },
        ],
      },
      prefet,
    );
    expect((await failsWith('FORBIDDEN', result)).path).toEqual(['_entities', 0, 'training']);
    expect(result.data!._entities[0]).toEqual({ code: '75', training: null });
    expect(result.data!._entities[1]!.training!.advisors).toBeGreaterThanOrEqual(2);
  });
});

test('the filter holds at every depth of one request (the same loaders in several batches)', async () => {
  const viewer = VIEWERS()['structure of Marseille']!;
  const deep = `query ($id: ID!) { trainingPath(id: $id) { session { trainingPaths { id session { id trainingPaths { conseiller { id } } } } } } }`;
  const result = await succeeds(training.execute(deep, { id: String(marseille.pathId) }, viewer));
  expect(result.trainingPath.session.trainingPaths.flatMap((l: Data) => l.session.trainingPaths.map((x: Data) => x.conseiller.id))).toEqual(
    [String(marseille.a)],
  );
  const other = await succeeds(training.execute(deep, { id: String(paris.pathId) }, viewer));
  expect(other).toEqual({ trainingPath: null });
});

describe('who may write', () => {
  const JUSTIFY = `mutation ($id: ID!) { justifyAbsence(input: { absenceId: $id, justification: "Arrêt maladie" }) { absence { id justified } } }`;
  const REGISTER = `mutation ($c: ID!, $m: ID!) { registerForModule(input: { conseillerId: $c, moduleId: $m, date: "2025-09-15" }) { moduleRegistration { id } } }`;
  const ATTEND = `mutation ($r: ID!) { recordModuleAttendance(input: { registrationId: $r, attended: true }) { moduleRegistration { status } } }`;
  const registrations = (conseillerId: number) => em().count(ModuleRegistration, { conseillerId });

  test('only admins import paths, results and exemptions and keep the catalogue; partner keys and anonymous never write', async () => {
    const open = `mutation ($c: ID!) { openTrainingPath(input: { conseillerId: $c, hours: 175, plannedStartDate: "2025-03-03" }) { trainingPath { id } } }`;
    const hired = uniqueId();
    await hireAdvisor(training.orm, { conseillerId: hired, structureId: marseille.structureId });
    const body = `mutation { createTrainingBody(input: { name: "Organisme ${uniqueId()}" }) { trainingBody { id } } }`;
    const certify = `mutation ($c: ID!) { recordCertificationResult(input: { conseillerId: $c, type: CCP1, date: "2025-06-01", result: PASSED }) { certificationAttempt { id } } }`;
    for (const name of [
      'prefet of 13',
      'structure of Marseille',
      "Marseille's A (conseiller)",
      'hub of région 93',
      'national partner key',
      'anonymous',
    ]) {
      const viewer = VIEWERS()[name]!;
      await failsWith('FORBIDDEN', training.execute(open, { c: String(uniqueId()) }, viewer));
      await failsWith('FORBIDDEN', training.execute(body, {}, viewer));
      await failsWith('FORBIDDEN', training.execute(certify, { c: String(marseille.b) }, viewer));
    }
    await succeeds(training.execute(open, { c: String(hired) }, admin));
  });

  test('the structure justifies its own advisors’ absences, not another structure’s', async () => {
    const structureOfMarseille = VIEWERS()['structure of Marseille']!;
    await failsWith('FORBIDDEN', training.execute(JUSTIFY, { id: String(paris.absenceId) }, structureOfMarseille));
    expect((await em().findOneOrFail(Absence, paris.absenceId)).justification).toBeNull();
    await failsWith('FORBIDDEN', training.execute(JUSTIFY, { id: String(paris.absenceId) }, VIEWERS()['prefet of région 11']!));
    const done = await succeeds(training.execute(JUSTIFY, { id: String(marseille.absenceId) }, structureOfMarseille));
    expect(done).toEqual({ justifyAbsence: { absence: { id: String(marseille.absenceId), justified: true } } });
  });

  test('an advisor registers itself for a module, a coordinator its advisors, nobody else’s', async () => {
    const self = VIEWERS()["Marseille's A (conseiller)"]!;
    const before = await registrations(paris.a);
    await failsWith('FORBIDDEN', training.execute(REGISTER, { c: String(paris.a), m: String(moduleId) }, self));
    expect(await registrations(paris.a)).toBe(before);
    await succeeds(training.execute(REGISTER, { c: String(marseille.a), m: String(moduleId) }, self));
    const coordinator = VIEWERS()["coordinateur of Paris's A"]!;
    await failsWith('FORBIDDEN', training.execute(REGISTER, { c: String(marseille.b), m: String(moduleId) }, coordinator));
    await succeeds(training.execute(REGISTER, { c: String(paris.a), m: String(moduleId) }, coordinator));
    expect(await registrations(paris.a)).toBe(before + 1);
    // An advisor unknown to training is outside any restricted reach: FORBIDDEN, not a hint that it does not exist.
    await failsWith('FORBIDDEN', training.execute(REGISTER, { c: String(uniqueId()), m: String(moduleId) }, coordinator));
  });

  test('a hub records attendance in its régions only', async () => {
    const hub = VIEWERS()['hub of région 93']!;
    const other = await registerForModule(em(), admin, { conseillerId: paris.b, moduleId, date: '2025-05-05' });
    await failsWith('FORBIDDEN', training.execute(ATTEND, { r: String(other.id) }, hub));
    expect((await em().findOneOrFail(ModuleRegistration, other.id)).status).toBe('REGISTERED');
    const own = await registerForModule(em(), admin, { conseillerId: marseille.b, moduleId, date: '2025-05-05' });
    expect(await succeeds(training.execute(ATTEND, { r: String(own.id) }, hub))).toEqual({
      recordModuleAttendance: { moduleRegistration: { status: 'ATTENDED' } },
    });
    await failsWith('FORBIDDEN', training.execute(ATTEND, { r: String(own.id) }, VIEWERS()['structure of Marseille']!));
  });
});

describe('the row filter adds no statement per row', () => {
  test('advisors through `_entities` for a préfet: the same statements for 2 or 20 advisors as for an admin', async () => {
    const prefet = user('prefet', { territory: { departements: ['13'], regions: [] } });
    const ids = [marseille.a, marseille.b, paris.a, paris.b];
    for (let i = 0; i < 16; i++) ids.push(uniqueId());
    const cost = async (viewer: Viewer, n: number) => {
      const r = ids.slice(0, n).map((id) => ({ __typename: 'Conseiller', id: String(id) }));
      const { result, total } = await countStatements(training.orm, () => training.execute(ADVISORS, { r }, viewer));
      await succeedsBesidesOutOfReach(result);
      return total;
    };
    const small = await cost(prefet, 2);
    expect(await cost(prefet, 20)).toBe(small);
    expect(await cost(admin, 20)).toBe(small);
    // Paths, absences, attempts, registrations, and the four statements of the rule facts.
    expect(small).toBe(8);
  });

  test('sessions and follow-up for a structure: the same statements as for an admin', async () => {
    const viewer = VIEWERS()['structure of Marseille']!;
    const query = `query ($lot: ID!, $s: ID!) {
      trainingSessions(filter: { lotId: $lot }) { totalCount edges { node { id enrolledCount trainingPaths { id absences { id } } } } }
      trainingFollowUp(filter: { structureId: $s }) { totalCount edges { node { id } } }
    }`;
    const cost = async (v: Viewer) => {
      const { result, total } = await countStatements(training.orm, () =>
        training.execute(query, { lot: String(lotId), s: String(marseille.structureId) }, v),
      );
      await succeeds(result);
      return total;
    };
    expect(await cost(viewer)).toBe(await cost(admin));
  });
});
