import { copyConsumers } from '../../../common/events/copies.js';
import { contractsReceived } from './contracts-received.js';
import { recordPostRequestDecided } from './record-post-request.js';
import { transferPosts } from './transfer-posts.js';
import type { Consumer } from '../../../common/events/inbox.js';

/** What conventions follows of the others (README, Domain events): its copies first, then its own effects. */
export const consumers = [
  ...copyConsumers('conventions', { structures: true, contracts: true }),
  contractsReceived as Consumer,
  recordPostRequestDecided,
  transferPosts,
];
