// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123102229 } from './Migration20261123102229.js';

export const migrations = [{ name: 'Migration20261123102229', class: Migration20261123102229 }];
