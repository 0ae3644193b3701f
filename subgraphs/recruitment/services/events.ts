import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContractState, StructureState } from '../../../common/events/catalogue.js';
import type { MiseEnRelation, Structure } from '../entities/index.js';
import { coordinatorPosts } from './posts.service.js';
import { currentPhase } from './quota.js';

/**
 * What recruitment's structure and contract events carry (common/events/catalogue.ts): the whole state after the
 * step, read from the rows the step holds locked, so two steps on one structure publish in commit order.
 */

/** A structure's state for its events: its row after the step, its coordinator posts and the phase of its last decision. */
export async function structureStateOf(tx: EntityManager, structure: Structure): Promise<StructureState> {
  await tx.flush();
  return {
    structureId: structure.id,
    name: structure.name,
    type: structure.type,
    sector: structure.type === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC',
    status: structure.status,
    network: structure.network ?? null,
    departementCode: structure.departementCode,
    regionCode: structure.regionCode,
    communeCode: structure.communeCode,
    advisorPosts: structure.postQuota,
    coordinatorPosts: await coordinatorPosts(tx, structure.id),
    phase: await currentPhase(tx, structure.id),
    isZrr: structure.isZrr,
    isQpv: structure.qpvStatus === 'OUI',
  };
}

/** A mise en relation's contract state for its events. */
export function contractStateOf(mer: MiseEnRelation): ContractState {
  return {
    miseEnRelationId: mer.id,
    conseillerId: mer.conseiller.id,
    structureId: mer.structure.id,
    status: mer.status,
    phase: mer.phase,
    coordinator: mer.isCoordinatorContract,
    contract:
      mer.contractType && mer.contractStartDate
        ? {
            type: mer.contractType,
            startDate: mer.contractStartDate,
            endDate: mer.contractEndDate ?? null,
            grossMonthlySalaryCents: mer.grossMonthlySalaryCents ?? null,
          }
        : null,
    ruptureDate: mer.ruptureDate ?? null,
    renewalOfId: mer.renewalOf?.id ?? null,
  };
}
