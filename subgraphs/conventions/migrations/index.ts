// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123092102 } from './Migration20261123092102.js';

export const migrations = [{ name: 'Migration20261123092102', class: Migration20261123092102 }];
