import type { MikroORM } from '../../../common/db.js';
import {
  ContractLot,
  TrainingPath,
  Learner,
  ThematicModule,
  TrainingBody,
  TrainingSession,
} from '../../../subgraphs/training/entities/index.js';
import { contractSigned, recruitmentRequested, structureDecided, type ContractState } from '../../../common/events/catalogue.js';
import { uniqueId } from '../ids.js';
import { contractState, feed, structureState } from '../events.js';

export async function createTrainingPath(orm: MikroORM, data: Partial<TrainingPath> & { conseillerId: number }): Promise<TrainingPath> {
  const em = orm.em.fork();
  const path = em.create(TrainingPath, { hours: 105, status: 'COMPLETED', startDate: '2022-02-01', endDate: '2022-03-15', ...data });
  await em.flush();
  return path;
}

/** A lot of the 2024 contract (2024–2027) held by a fresh training body, unless told otherwise. */
export async function createLot(orm: MikroORM, data: Partial<Omit<ContractLot, 'holder'>> = {}): Promise<ContractLot> {
  const em = orm.em.fork();
  const id = uniqueId();
  const holder = em.create(TrainingBody, { name: `Organisme ${id}`, siret: null });
  const lot = em.create(ContractLot, {
    contract: 'CONTRACT_2024',
    contractNumber: `T${String(id).slice(-7).padStart(7, '0')}`,
    lotNumber: 1,
    label: 'Hexagone et Corse',
    holder,
    startDate: '2024-01-01',
    endDate: '2027-12-31',
    ...data,
  });
  await em.flush();
  return lot;
}

/** A PLANNED in-person 175 h session of 20 seats under `lotId`. */
export async function createSession(
  orm: MikroORM,
  data: Partial<Omit<TrainingSession, 'lot'>> & { lotId: number },
): Promise<TrainingSession> {
  const em = orm.em.fork();
  const { lotId, ...rest } = data;
  const session = em.create(TrainingSession, {
    lot: em.getReference(ContractLot, lotId),
    place: 'Marseille',
    departementCode: '13',
    startDate: '2025-03-03',
    endDate: '2025-05-30',
    hours: 175,
    rhythm: 'ALTERNATING',
    plannedModality: 'IN_PERSON',
    modality: 'IN_PERSON',
    capacity: 20,
    status: 'PLANNED',
    ...rest,
  });
  await em.flush();
  return session;
}

/** Where an advisor works, for the copies of recruitment's facts training keeps. */
export interface Employment {
  conseillerId: number;
  structureId?: number;
  departementCode?: string;
  regionCode?: string;
  /** RECRUTEE: the contract is being signed (recruitment-requested); otherwise a signed contract (contract-signed). */
  status?: 'RECRUTEE' | 'FINALISEE';
  contract?: ContractState['contract'];
}

/**
 * Recruitment's facts that make `conseillerId` hired (or being hired) at a structure, fed to training's copies as
 * recruitment's events would be: the structure (in Marseille, 13/93, unless told otherwise) and a signed CDI from
 * 2020-11-01. Returns the contract's state.
 */
export async function hireAdvisor(orm: MikroORM, employment: Employment): Promise<ContractState> {
  const { conseillerId, structureId = uniqueId(), departementCode = '13', regionCode = '93', status = 'FINALISEE' } = employment;
  await feed(orm, 'training', structureDecided, structureId, structureState({ structureId, departementCode, regionCode }));
  const state = contractState({
    miseEnRelationId: uniqueId(),
    conseillerId,
    structureId,
    status,
    contract: employment.contract ?? { type: 'CDI', startDate: '2020-11-01', endDate: null, grossMonthlySalaryCents: 180_000 },
  });
  await feed(orm, 'training', status === 'RECRUTEE' ? recruitmentRequested : contractSigned, state.miseEnRelationId, state);
  return state;
}

/**
 * A learner in a made-up territory unless told otherwise (tests share one database: codes keep their figures
 * apart), hired there per training's copies (`hireAdvisor`) unless `hired: false`.
 */
export async function createLearner(
  orm: MikroORM,
  data: Partial<Learner> & { conseillerId: number },
  options: { hired?: boolean } = {},
): Promise<Learner> {
  const em = orm.em.fork();
  const learner = em.create(Learner, {
    structureId: uniqueId(),
    departementCode: '13',
    regionCode: '93',
    entryDate: '2024-03-01',
    ...data,
  });
  await em.flush();
  if (options.hired ?? true) await hireAdvisor(orm, learner);
  return learner;
}

export async function createModule(orm: MikroORM, data: Partial<ThematicModule> = {}): Promise<ThematicModule> {
  const em = orm.em.fork();
  const id = uniqueId();
  const module = em.create(ThematicModule, { code: `M${id}`.slice(0, 16), title: `Module ${id}`, hours: 7, offeredFrom: 2024, ...data });
  await em.flush();
  return module;
}

/**
 * A made-up territory code (a letter first, so never a real INSEE one) unlikely to be drawn twice in a run:
 * 3 characters for a département, 2 for a région.
 */
export function uniqueTerritoryCode(length: 2 | 3 = 3): string {
  const id = uniqueId();
  return (
    String.fromCharCode(65 + (id % 26)) +
    Math.floor(id / 26)
      .toString(36)
      .slice(-(length - 1))
      .toUpperCase()
  );
}
