import type { SubgraphName } from '../common/env.js';
import type { SubgraphDefinition } from '../common/server.js';
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
