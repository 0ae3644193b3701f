import type { Resolvers } from '../types.generated.js';
import { Conseiller } from './Conseiller.js';
import { Cra } from './Cra.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { Query, Cra, Conseiller };
