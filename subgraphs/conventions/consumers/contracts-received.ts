import { CONTRACT_EVENTS, type ContractEvent } from '../../../common/events/catalogue.js';
import { defineConsumer } from '../../../common/events/inbox.js';
import { reconcileStructurePosts } from '../services/contract.service.js';

/**
 * Any change to one of recruitment's contracts (signed, extended, rupture declared or validated, renewed, ended…):
 * the structure's posts are reconciled with the copy, which the copy consumer listed before this one has just
 * updated. State-based, so an event that was old news for the copy changes nothing here either; a contract signed
 * today is received today.
 */
export const contractsReceived = defineConsumer<ContractEvent>({
  name: 'conventions.contracts-received',
  subgraph: 'conventions',
  events: CONTRACT_EVENTS,
  handle: (tx, { structureId }, envelope) =>
    reconcileStructurePosts(tx, structureId, new Date(envelope.occurredAt).toISOString().slice(0, 10)),
});
