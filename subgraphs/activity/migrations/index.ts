// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123095027 } from './Migration20261123095027.js';

export const migrations = [{ name: 'Migration20261123095027', class: Migration20261123095027 }];
