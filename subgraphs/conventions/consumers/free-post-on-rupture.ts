import { ruptureValidated } from '../../../common/events/catalogue.js';
import { defineConsumer } from '../../../common/events/inbox.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import { EmploymentContract } from '../entities/index.js';
import { endEmploymentContract } from '../services/post.service.js';

/**
 * Recruitment validated a rupture: the funded post the advisor held at that structure is freed, its contract ended
 * on the rupture date, by the same step (and rules) as an early end entered here. An advisor with no running
 * contract on a post of that structure holds nothing to free.
 */
export const freePostOnRupture = defineConsumer({
  name: 'conventions.free-post-on-rupture',
  subgraph: 'conventions',
  events: [ruptureValidated],
  async handle(tx, { conseillerId, structureId, ruptureDate, contract: terms }) {
    if (!ruptureDate || !terms) return;
    const contract = await tx.findOne(EmploymentContract, {
      conseillerId,
      endedEarlyOn: null,
      post: { structureId, state: 'OCCUPE', conseillerId },
    });
    if (contract) await endEmploymentContract(tx, SYSTEM_ADMIN, { contractId: contract.id, endedOn: ruptureDate });
  },
});
