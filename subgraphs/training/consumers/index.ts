import { copyConsumers } from '../../../common/events/copies.js';

/** What training follows of the others (README, Domain events): its copies of recruitment's structures and contracts. */
export const consumers = [...copyConsumers('training', { structures: true, contracts: true })];
