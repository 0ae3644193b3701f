import { postsTransferred } from '../../../common/events/catalogue.js';
import { defineConsumer } from '../../../common/events/inbox.js';
import { recordTransfer } from '../services/transfer.service.js';

/**
 * Recruitment moved vacant posts from one structure to another: they are given back on the source's running
 * agreement and funded on the target's (services/transfer.service.ts `recordTransfer`), once per event and transfer.
 */
export const transferPosts = defineConsumer({
  name: 'conventions.transfer-posts',
  subgraph: 'conventions',
  events: [postsTransferred],
  handle: async (tx, transfer) => void (await recordTransfer(tx, transfer)),
});
