// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123102033 } from './Migration20261123102033.js';
import { Migration20261203153949 } from './Migration20261203153949.js';
import { Migration20261203174500 } from './Migration20261203174500.js';

export const migrations = [
  { name: 'Migration20261123102033', class: Migration20261123102033 },
  { name: 'Migration20261203153949', class: Migration20261203153949 },
  { name: 'Migration20261203174500', class: Migration20261203174500 },
];
