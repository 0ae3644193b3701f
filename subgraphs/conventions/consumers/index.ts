import { copyConsumers } from '../../../common/events/copies.js';
import { freePostOnRupture } from './free-post-on-rupture.js';

/** What conventions follows of the others (README, Domain events): its copies first, then its own effects. */
export const consumers = [...copyConsumers('conventions', { structures: true, contracts: true }), freePostOnRupture];
