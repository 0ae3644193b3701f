import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '../../common/db.js';
import type { SubgraphName } from '../../common/env.js';
import type { ContractState, PostRequestDecided, StructureState } from '../../common/events/catalogue.js';
import { envelopeOf, type EventDefinition, type EventEnvelope, type PayloadOf } from '../../common/events/event.js';
import { consumes, deliver, type Delivery } from '../../common/events/inbox.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { uniqueId } from './ids.js';

/**
 * Feeds a subgraph the events another one would publish, straight to its consumers (the same `deliver` as both
 * transports): a test of conventions, training or activity sets up the facts recruitment owns without running it.
 * Each envelope gets the next sequence, so copies see them as news.
 */
let sequence = Date.now();

export function envelope<E extends EventDefinition>(event: E, aggregateId: string | number, payload: PayloadOf<E>): EventEnvelope {
  return { ...envelopeOf(event, aggregateId, payload), sequence: ++sequence };
}

/** Delivers one event to every consumer of it in `subgraph`; the deliveries, in consumer order. */
export async function feed<E extends EventDefinition>(
  orm: MikroORM,
  subgraph: SubgraphName,
  event: E,
  aggregateId: string | number,
  payload: PayloadOf<E>,
): Promise<Delivery[]> {
  return feedEnvelope(orm, subgraph, envelope(event, aggregateId, payload));
}

export async function feedEnvelope(orm: MikroORM, subgraph: SubgraphName, raw: EventEnvelope): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  for (const consumer of (subgraphs[subgraph].consumers ?? []).filter((c) => consumes(c, raw.type)))
    deliveries.push(await deliver(orm.em as EntityManager, consumer, raw));
  return deliveries;
}

/** A validated structure in Marseille with one advisor post, unless overridden. */
export function structureState(overrides: Partial<StructureState> & { structureId: number }): StructureState {
  return {
    name: `Structure ${overrides.structureId}`,
    type: 'COMMUNE',
    sector: overrides.type === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC',
    status: 'VALIDATION_COSELEC',
    network: null,
    departementCode: '13',
    regionCode: '93',
    communeCode: '13055',
    advisorPosts: 1,
    coordinatorPosts: 0,
    phase: 'PHASE_1',
    isZrr: false,
    isQpv: false,
    ...overrides,
  };
}

/** A validated CDD from 2024-01-01 to 2024-12-31 (`FINALISEE`), unless overridden. */
export function contractState(
  overrides: Partial<ContractState> & Pick<ContractState, 'miseEnRelationId' | 'conseillerId' | 'structureId'>,
): ContractState {
  return {
    status: 'FINALISEE',
    phase: 'PHASE_1',
    coordinator: false,
    contract: { type: 'CDD', startDate: '2024-01-01', endDate: '2024-12-31', grossMonthlySalaryCents: 180_000 },
    ruptureDate: null,
    renewalOfId: null,
    ...overrides,
  };
}

/**
 * A post request recruitment decided: an accepted AJOUT of one advisor post (granted), with the prefecture's
 * favourable opinion, decided on 2022-07-01, unless overridden.
 */
export function postRequestState(overrides: Partial<PostRequestDecided> & Pick<PostRequestDecided, 'structureId'>): PostRequestDecided {
  const type = overrides.type ?? 'AJOUT';
  const accepted = overrides.accepted ?? true;
  const postsRequested = overrides.postsRequested ?? 1;
  return {
    postRequestId: uniqueId(),
    type,
    coordinator: false,
    accepted,
    postsBefore: 1,
    postsRequested,
    postsGranted: type === 'AJOUT' && accepted ? postsRequested : null,
    reason: type === 'AJOUT' ? 'FORTE_DEMANDE' : 'DIFFICULTES_RECRUTEMENT',
    reasonDetail: null,
    prefectOpinion: 'POSITIF',
    requestedOn: '2022-06-01',
    decidedOn: '2022-07-01',
    phase: 'PHASE_1',
    ...overrides,
  };
}
