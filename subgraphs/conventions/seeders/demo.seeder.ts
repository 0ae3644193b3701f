import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { RecruitmentStructure } from '../../../common/events/copies.js';
import { seededRandom } from '../../../common/demo/random.js';
import { AppError, ErrorCode } from '../../../common/errors.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import { Tranche } from '../entities/index.js';
import { addMonths, today } from '../../../common/calendar.js';
import {
  declineRenewal,
  moveDsFile,
  openConvention,
  renewConvention,
  signConvention,
  terminateConvention,
} from '../services/convention.service.js';
import { markTranchePaid } from '../services/ledger.service.js';
import type { Convention } from '../entities/index.js';

/** DS file numbers of the demo, far from the ones tests draw. */
const DS_NUMBER_BASE = 2_100_000_000;
/** Renewal files are numbered apart from initial ones, whatever the number of structures. */
const RENEWAL_DS_OFFSET = 10_000_000;

/**
 * The agreements of the demo world, built through the services (so every amount follows the rules) from what
 * recruitment announced (the copies of its structures, common/events/copies.ts: its demo seed publishes every
 * structure's final state, delivered before this seeder runs): each structure validated by the committee opens, gets
 * accepted and signs a phase-1 agreement for its quota, advisor and coordinator posts; due tranches are paid. About a
 * quarter renew, a quarter decline to renew. Who fills the posts follows recruitment's contract events (taken at
 * signature, services/contract.service.ts), not this seeder. Per-structure choices are drawn from `seededRandom(structure id)`.
 */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const validated = await em.find(RecruitmentStructure, { status: 'VALIDATION_COSELEC' }, { orderBy: { structureId: 'asc' } });
    for (const structure of validated.filter((s) => s.advisorPosts + s.coordinatorPosts > 0)) await seedStructure(em.fork(), structure);
  }
}

async function seedStructure(em: EntityManager, s: RecruitmentStructure): Promise<void> {
  const id = s.structureId;
  const random = seededRandom(id);
  const start = `2021-${String(1 + ((id * 5) % 12)).padStart(2, '0')}-01`;
  const opened = await openConvention(em, SYSTEM_ADMIN, {
    structureId: id,
    phase: 'PHASE_1',
    legalCategory: s.sector === 'PUBLIC' ? 'STRUCTURE_PUBLIQUE' : random.chance(0.7) ? 'ASSOCIATION' : 'ENTREPRISE',
    dsNumber: DS_NUMBER_BASE + id,
    dsCreatedAt: new Date(`${addMonths(start, -3)}T09:00:00Z`),
    startDate: start,
    durationMonths: s.sector === 'PRIVATE' && random.chance(0.5) ? 24 : undefined,
    advisorPosts: s.advisorPosts,
    coordinatorPosts: Array.from({ length: s.coordinatorPosts }, () => (random.chance(0.7) ? 'CDI' : 'CDD')),
    attributionDate: addMonths(start, -4),
  });
  await moveDsFile(em, SYSTEM_ADMIN, {
    conventionId: opened.id,
    state: 'en_instruction',
    at: new Date(`${addMonths(start, -2)}T09:00:00Z`),
  });
  await moveDsFile(em, SYSTEM_ADMIN, { conventionId: opened.id, state: 'accepte', at: new Date(`${addMonths(start, -1)}T09:00:00Z`) });
  const convention = await signConvention(em, SYSTEM_ADMIN, { conventionId: opened.id, signedOn: start });

  // Its posts took the advisors' contracts of recruitment's copy at signature (services/contract.service.ts).
  await payDueTranches(em, convention);

  if (id % 4 === 1) {
    const renewal = await renewConvention(em, SYSTEM_ADMIN, {
      conventionId: convention.id,
      dsNumber: DS_NUMBER_BASE + RENEWAL_DS_OFFSET + id,
      dsCreatedAt: new Date(`${addMonths(convention.endDate, -4)}T09:00:00Z`),
    });
    await moveDsFile(em, SYSTEM_ADMIN, {
      conventionId: renewal.id,
      state: 'en_instruction',
      at: new Date(`${addMonths(convention.endDate, -3)}T09:00:00Z`),
    });
    await moveDsFile(em, SYSTEM_ADMIN, {
      conventionId: renewal.id,
      state: 'accepte',
      at: new Date(`${addMonths(convention.endDate, -2)}T09:00:00Z`),
    });
    await signConvention(em, SYSTEM_ADMIN, { conventionId: renewal.id, signedOn: addMonths(convention.endDate, -1) });
    await payDueTranches(em, renewal);
  } else if (id % 4 === 3) {
    await declineRenewal(em, SYSTEM_ADMIN, {
      conventionId: convention.id,
      reason: 'Fin de subventionnement : la structure ne peut pas financer la part restante.',
    });
  }
  if (convention.endDate < today())
    await terminateConvention(em, SYSTEM_ADMIN, { conventionId: convention.id, kind: 'NATURAL_END', on: convention.endDate });
}

/** Pays, in order, every tranche whose conditions are met on its due date; a blocked one stops the run, as in real life. */
async function payDueTranches(em: EntityManager, convention: Convention): Promise<void> {
  const tranches = await em.find(Tranche, { convention }, { orderBy: { rank: 'asc' } });
  for (const tranche of tranches.filter((t) => t.dueDate <= today())) {
    try {
      await markTranchePaid(em, SYSTEM_ADMIN, {
        trancheId: tranche.id,
        paidOn: tranche.dueDate < tranche.periodEnd ? addMonths(tranche.dueDate, 1) : tranche.dueDate,
      });
    } catch (error) {
      if (error instanceof AppError && error.extensions.code === ErrorCode.INVALID_STATUS_TRANSITION) return;
      throw error;
    }
  }
}
