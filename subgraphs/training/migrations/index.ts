// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123093648 } from './Migration20261123093648.js';

export const migrations = [{ name: 'Migration20261123093648', class: Migration20261123093648 }];
