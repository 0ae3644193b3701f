import type { Resolvers } from '../types.generated.js';
import { Conseiller } from './Conseiller.js';
import { Formation } from './Formation.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { Query, Formation, Conseiller };
