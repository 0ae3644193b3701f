import type { Resolvers } from '../types.generated.js';
import { Conseiller } from './Conseiller.js';
import { Cra } from './Cra.js';
import { CraAuditEntry } from './CraAuditEntry.js';
import { Mutation } from './Mutation.js';
import { Place, PlaceConseiller } from './Place.js';
import { Query } from './Query.js';
import { Structure } from './Structure.js';
import { Departement, Region } from './Territory.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Cra,
  CraAuditEntry,
  Conseiller,
  Structure,
  Departement,
  Region,
  Place,
  PlaceConseiller,
};
