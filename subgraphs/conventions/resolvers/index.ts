import type { Resolvers } from '../types.generated.js';
import { Convention } from './Convention.js';
import { Mutation } from './Mutation.js';
import { Amendment, CreditNote, EmploymentContract, Tranche } from './Payments.js';
import { Post } from './Post.js';
import { Query } from './Query.js';
import { Conseiller, Departement, Region, Structure } from './Structure.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Convention,
  Post,
  Tranche,
  CreditNote,
  EmploymentContract,
  Amendment,
  Structure,
  Conseiller,
  Departement,
  Region,
};
