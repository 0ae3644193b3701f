import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, byKeyLoader } from '../../common/loaders.js';
import type { Viewer } from '../../common/viewer.js';
import {
  Absence,
  CertificationAttempt,
  ContractLot,
  TrainingPath,
  ModuleRegistration,
  ThematicModule,
  TrainingBody,
  TrainingSession,
} from './entities/index.js';
import { visibleRows } from './services/access.js';
import { loadFacts, territorySummaries, type TerritoryKey } from './services/follow-up.service.js';
import { SEATED_STATUSES } from './rules/training.js';
import { seatCounts } from './services/session.service.js';

/**
 * Per-request batch loaders of the training subgraph: one statement per loader and batch, whatever the list size.
 * Those over people's rows apply the viewer's row filter in their SQL (services/access.ts), so a nested field or an
 * `_entities` look-up shows exactly what the root fields show; the catalogue (bodies, lots, modules) is public.
 */
export function createLoaders(em: EntityManager, viewer: Viewer) {
  const seated = new Set<string>(SEATED_STATUSES);
  const paths = visibleRows<TrainingPath>(em, viewer, 'advisor');
  const pathsBySession = byKeyLoader(em, TrainingPath, 'session', { conseillerId: 'asc', id: 'asc' }, paths);
  return {
    trainingPath: byIdLoader(em, TrainingPath, paths),
    trainingPathsByConseiller: byKeyLoader(em, TrainingPath, 'conseillerId', { startDate: 'asc', id: 'asc' }, paths),
    session: byIdLoader(em, TrainingSession, visibleRows<TrainingSession>(em, viewer, 'session')),
    /** Paths holding a seat in the session (withdrawn and abandoned ones excluded) that the viewer may see. */
    seatedBySession: {
      load: async (sessionId: number) => (await pathsBySession.load(sessionId)).filter((f) => seated.has(f.status)),
    },
    /** Seats taken in sessions the viewer already sees: a figure of the session, counted whole (see access.ts). */
    seatCount: new DataLoader(async (ids: readonly number[]) => {
      const counts = await seatCounts(em, ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    lot: byIdLoader(em, ContractLot),
    lotsByHolder: byKeyLoader(em, ContractLot, 'holder', { startDate: 'asc', lotNumber: 'asc' }),
    trainingBody: byIdLoader(em, TrainingBody),
    absencesByPath: byKeyLoader(em, Absence, 'trainingPath', { date: 'asc' }, visibleRows<Absence>(em, viewer, 'absence')),
    certificationsByConseiller: byKeyLoader(
      em,
      CertificationAttempt,
      'conseillerId',
      { date: 'asc', id: 'asc' },
      visibleRows<CertificationAttempt>(em, viewer, 'advisor'),
    ),
    registrationsByConseiller: byKeyLoader(
      em,
      ModuleRegistration,
      'conseillerId',
      { date: 'asc', id: 'asc' },
      visibleRows<ModuleRegistration>(em, viewer, 'advisor'),
    ),
    module: byIdLoader(em, ThematicModule),
    /** Everything training holds on an advisor the viewer sees, for the rule-derived fields (level, deadlines, lateness). */
    facts: new DataLoader(async (ids: readonly number[]) => {
      const facts = await loadFacts(em, viewer, ids);
      return ids.map((id) => facts.get(id)!);
    }),
    /** Territory and structure summaries; a key outside the viewer's reach fails alone (FORBIDDEN). */
    summary: new DataLoader((keys: readonly TerritoryKey[]) => territorySummaries(em, viewer, keys), {
      cacheKeyFn: (k) => `${k.kind}|${k.code}|${k.asOf}`,
    }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
