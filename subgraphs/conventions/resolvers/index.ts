import type { Resolvers } from '../types.generated.js';
import { Convention } from './Convention.js';
import { Query } from './Query.js';
import { Structure } from './Structure.js';

export const resolvers: Resolvers = { Query, Convention, Structure };
