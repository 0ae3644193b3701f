import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../common/loaders.js';
import {
  Absence,
  CertificationAttempt,
  ContractLot,
  Formation,
  ModuleRegistration,
  ThematicModule,
  TrainingBody,
  TrainingSession,
} from './entities/index.js';
import { loadFacts, territorySummaries, type TerritoryKey } from './services/follow-up.service.js';
import { SEATED_STATUSES } from './services/session.service.js';

/** Per-request batch loaders of the training subgraph: one statement per loader and batch, whatever the list size. */
export function createLoaders(em: EntityManager) {
  const seated = new Set<string>(SEATED_STATUSES);
  const learnersBySession = byKeyLoader(em, Formation, 'session', { conseillerId: 'asc', id: 'asc' });
  return {
    formation: byIdLoader(em, Formation),
    formationsByConseiller: byKeyLoader(em, Formation, 'conseillerId', { startDate: 'asc', id: 'asc' }),
    session: byIdLoader(em, TrainingSession),
    /** Paths holding a seat in the session (withdrawn and abandoned ones excluded). */
    seatedBySession: {
      load: async (sessionId: number) => (await learnersBySession.load(sessionId)).filter((f) => seated.has(f.status)),
    },
    lot: byIdLoader(em, ContractLot),
    lotsByHolder: byKeyLoader(em, ContractLot, 'holder', { startDate: 'asc', lotNumber: 'asc' }),
    trainingBody: byIdLoader(em, TrainingBody),
    absencesByFormation: byKeyLoader(em, Absence, 'formation', { date: 'asc' }),
    certificationsByConseiller: byKeyLoader(em, CertificationAttempt, 'conseillerId', { date: 'asc', id: 'asc' }),
    registrationsByConseiller: byKeyLoader(em, ModuleRegistration, 'conseillerId', { date: 'asc', id: 'asc' }),
    module: byIdLoader(em, ThematicModule),
    /** Everything training holds on an advisor, for the rule-derived fields (level, deadlines, lateness). */
    facts: new DataLoader(async (ids: readonly number[]) => {
      const facts = await loadFacts(em, ids);
      return ids.map((id) => facts.get(id)!);
    }),
    summary: new DataLoader((keys: readonly TerritoryKey[]) => territorySummaries(em, keys), {
      cacheKeyFn: (k) => `${k.kind}|${k.code}|${k.asOf}`,
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
