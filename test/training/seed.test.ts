import { describe, expect, test } from '@jest/globals';
import { demoWorld } from '../../common/demo/world.js';
import { migrate } from '../../common/db.js';
import { openSubgraphOrm, prepareDatabase } from '../../common/server.js';
import {
  CertificationAttempt,
  TrainingPath,
  Learner,
  ModuleRegistration,
  TrainingSession,
} from '../../subgraphs/training/entities/index.js';
import { training } from '../../subgraphs/training/index.js';
import { MIN_IN_PERSON_LEARNERS, PATH_HOURS, contractFor } from '../../subgraphs/training/rules/training.js';
import { createTestDatabase } from '../support/database.js';

describe('demo seed', () => {
  test('trains exactly the recruited people of the demo world, following the programme’s rules', async () => {
    const database = await createTestDatabase('conum_training_seed', { migrated: true });
    const orm = await openSubgraphOrm(training, database.url, 2);
    try {
      await migrate(orm);
      expect((await prepareDatabase(training, orm, true)).seeded).toBe(true);
      // A second start finds data and seeds nothing.
      expect((await prepareDatabase(training, orm, true)).seeded).toBe(false);

      const em = orm.em.fork();
      const world = demoWorld();
      const recruited = world.people.filter((p) => p.startDate);
      const learners = await em.find(Learner, {}, { orderBy: { conseillerId: 'asc' } });
      expect(learners.map((l) => l.conseillerId)).toEqual(recruited.map((p) => p.id));
      for (const learner of learners) {
        const person = recruited.find((p) => p.id === learner.conseillerId)!;
        const structure = world.structures.find((s) => s.id === person.structureId)!;
        expect([learner.structureId, learner.departementCode, learner.regionCode]).toEqual([
          structure.id,
          structure.commune.departement,
          structure.commune.region,
        ]);
      }

      const paths = await em.find(TrainingPath, {}, { populate: ['session'] });
      expect(paths.length).toBeGreaterThan(recruited.length * 0.8);
      for (const f of paths) {
        expect(PATH_HOURS[contractFor(f.startDate)]).toContain(f.hours);
        expect(learners.find((l) => l.conseillerId === f.conseillerId)!.exemptionReason).toBeNull();
        expect(f.modality).toBe(f.session!.modality);
      }
      expect(learners.filter((l) => l.exemptionReason).length).toBe(recruited.length - paths.length);

      // The 8-learner rule holds: in person only with at least 8 learners who did not abandon.
      const sessions = await em.find(TrainingSession, {});
      expect(sessions.filter((s) => s.status === 'PLANNED')).toHaveLength(6);
      for (const session of sessions.filter((s) => s.status === 'CONFIRMED')) {
        const seated = paths.filter((f) => f.session!.id === session.id && f.status !== 'ABANDONED').length;
        expect(session.modality).toBe(seated >= MIN_IN_PERSON_LEARNERS ? 'IN_PERSON' : 'REMOTE');
      }

      const attempts = await em.find(CertificationAttempt, {});
      expect(attempts.some((a) => a.attempt === 2)).toBe(true);
      expect(new Set(attempts.map((a) => a.type))).toEqual(new Set(['CCP1', 'PIX', 'CCP2', 'CCP3']));
      expect(await em.count(ModuleRegistration, {})).toBeGreaterThan(0);
    } finally {
      await orm.close();
      await database.drop();
    }
  });
});
