import type { MikroORM } from '../common/db.js';
import type { SubgraphName } from '../common/env.js';
import type { EventNode } from '../common/events/bus.js';
import { eventNodeOf, type SubgraphDefinition } from '../common/server.js';
import { activity } from './activity/index.js';
import { conventions } from './conventions/index.js';
import { recruitment } from './recruitment/index.js';
import { training } from './training/index.js';

/** The four subgraphs, in composition order. */
export const subgraphs: Record<SubgraphName, SubgraphDefinition<unknown>> = {
  recruitment: recruitment as SubgraphDefinition<unknown>,
  conventions: conventions as SubgraphDefinition<unknown>,
  training: training as SubgraphDefinition<unknown>,
  activity: activity as SubgraphDefinition<unknown>,
};

/** The running subgraphs as the event bus sees them: each one's outbox and inbox (its ORM) and its consumers. */
export function eventNodes(running: readonly { name: SubgraphName; orm: MikroORM }[]): EventNode[] {
  return running.map(({ name, orm }) => eventNodeOf(subgraphs[name], orm));
}
