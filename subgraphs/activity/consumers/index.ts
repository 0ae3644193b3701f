import { copyConsumers } from '../../../common/events/copies.js';

/** What activity follows of the others (README, Domain events): its copies of recruitment's structures and contracts. */
export const consumers = [...copyConsumers('activity', { structures: true, contracts: true })];
