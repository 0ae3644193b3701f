import { postRequestDecided } from '../../../common/events/catalogue.js';
import { defineConsumer } from '../../../common/events/inbox.js';
import { recordPostRequest } from '../services/amendment.service.js';

/**
 * Recruitment decided a post request (one request, one opinion, one decision, all made there): the amendment is
 * recorded and, when accepted, applied to the structure's running signed agreement of that phase
 * (services/amendment.service.ts `recordPostRequest`), once per event (its inbox) and once per request.
 */
export const recordPostRequestDecided = defineConsumer({
  name: 'conventions.record-post-request',
  subgraph: 'conventions',
  events: [postRequestDecided],
  handle: async (tx, decided) => void (await recordPostRequest(tx, decided)),
});
