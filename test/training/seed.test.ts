import { describe, expect, test } from '@jest/globals';
import { migrate } from '../../common/db.js';
import { drainEvents } from '../../common/events/bus.js';
import { RecruitmentContract, RecruitmentStructure } from '../../common/events/copies.js';
import { openSubgraphOrm, prepareDatabase } from '../../common/server.js';
import { eventNodes } from '../../subgraphs/registry.js';
import { recruitment } from '../../subgraphs/recruitment/index.js';
import {
  CertificationAttempt,
  TrainingPath,
  Learner,
  ModuleRegistration,
  TrainingSession,
} from '../../subgraphs/training/entities/index.js';
import { training } from '../../subgraphs/training/index.js';
import { placementOn } from '../../subgraphs/training/rules/hiring.js';
import { MIN_IN_PERSON_LEARNERS, PATH_HOURS, contractFor } from '../../subgraphs/training/rules/training.js';
import { createTestDatabase } from '../support/database.js';

describe('demo seed', () => {
  test('trains exactly the advisors recruitment hired or is hiring, where their contract places them, by the programme’s rules', async () => {
    const database = await createTestDatabase('conum_training_seed', { migrated: true });
    const recruitmentOrm = await openSubgraphOrm(recruitment, database.url, 2);
    const orm = await openSubgraphOrm(training, database.url, 2);
    try {
      // As the whole system seeds: recruitment's world, its events delivered to training's copies, then training.
      await prepareDatabase(recruitment, recruitmentOrm, true);
      await migrate(orm);
      await drainEvents(
        eventNodes([
          { name: 'recruitment', orm: recruitmentOrm },
          { name: 'training', orm },
        ]),
      );
      expect((await prepareDatabase(training, orm, true)).seeded).toBe(true);
      // A second start finds data and seeds nothing.
      expect((await prepareDatabase(training, orm, true)).seeded).toBe(false);

      const em = orm.em.fork();
      const today = new Date().toISOString().slice(0, 10);
      const contracts = await em.find(RecruitmentContract, {});
      const structures = new Map((await em.find(RecruitmentStructure, {})).map((s) => [s.structureId, s]));
      const [{ candidates }] = await recruitmentOrm.em.execute<{ candidates: string }[]>(
        `select count(*) as candidates from recruitment.conseiller c where not exists (select 1 from recruitment.mise_en_relation m where m.conseiller_id = c.id and m.contract_start_date is not null)`,
      );
      expect(Number(candidates)).toBeGreaterThan(0);
      // Every advisor with a contract signed or being signed, on the first day of the first one; nobody else.
      const firstDay = new Map<number, string>();
      for (const c of contracts) {
        const start = c.status === 'RECRUTEE' ? c.startDate : c.employedFrom;
        if (start && !(firstDay.get(c.conseillerId)! <= start)) firstDay.set(c.conseillerId, start);
      }
      const learners = await em.find(Learner, {}, { orderBy: { conseillerId: 'asc' } });
      expect(learners.map((l) => l.conseillerId)).toEqual([...firstDay.keys()].sort((a, b) => a - b));
      for (const learner of learners) {
        const start = firstDay.get(learner.conseillerId)!;
        const placement = placementOn(
          contracts.filter((c) => c.conseillerId === learner.conseillerId),
          start,
        )!;
        const structure = structures.get(placement.structureId)!;
        expect([learner.structureId, learner.departementCode, learner.regionCode, learner.entryDate]).toEqual([
          structure.structureId,
          structure.departementCode,
          structure.regionCode,
          start,
        ]);
      }

      const paths = await em.find(TrainingPath, {}, { populate: ['session'] });
      expect(paths.length).toBeGreaterThan(learners.length * 0.8);
      for (const f of paths) {
        expect(PATH_HOURS[contractFor(f.startDate)]).toContain(f.hours);
        expect(learners.find((l) => l.conseillerId === f.conseillerId)!.exemptionReason).toBeNull();
        if (f.startDate > today) expect([f.status, f.session]).toEqual(['TO_ENROL', null]);
        else expect(f.modality).toBe(f.session!.modality);
      }
      expect(learners.filter((l) => l.exemptionReason).length).toBe(learners.length - paths.length);

      // The 8-learner rule holds: in person only with at least 8 learners who did not abandon.
      const sessions = await em.find(TrainingSession, {});
      expect(sessions.filter((s) => s.status === 'PLANNED')).toHaveLength(6);
      for (const session of sessions.filter((s) => s.status === 'CONFIRMED')) {
        const seated = paths.filter((f) => f.session?.id === session.id && f.status !== 'ABANDONED').length;
        expect(session.modality).toBe(seated >= MIN_IN_PERSON_LEARNERS ? 'IN_PERSON' : 'REMOTE');
      }

      const attempts = await em.find(CertificationAttempt, {});
      expect(attempts.some((a) => a.attempt === 2)).toBe(true);
      expect(new Set(attempts.map((a) => a.type))).toEqual(new Set(['CCP1', 'PIX', 'CCP2', 'CCP3']));
      expect(await em.count(ModuleRegistration, {})).toBeGreaterThan(0);
    } finally {
      await orm.close();
      await recruitmentOrm.close();
      await database.drop();
    }
  });
});
