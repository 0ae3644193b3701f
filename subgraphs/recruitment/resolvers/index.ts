import type { Resolvers } from '../types.generated.js';
import { Conseiller } from './Conseiller.js';
import { Query } from './Query.js';
import { Structure } from './Structure.js';

export const resolvers: Resolvers = { Query, Structure, Conseiller };
