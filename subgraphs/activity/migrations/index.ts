// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123100749 } from './Migration20261123100749.js';
import { Migration20261123102418 } from './Migration20261123102418.js';
import { Migration20261203154040 } from './Migration20261203154040.js';
import { Migration20261203172801 } from './Migration20261203172801.js';
import { Migration20261203174500 } from './Migration20261203174500.js';

export const migrations = [
  { name: 'Migration20261123100749', class: Migration20261123100749 },
  { name: 'Migration20261123102418', class: Migration20261123102418 },
  { name: 'Migration20261203154040', class: Migration20261203154040 },
  { name: 'Migration20261203172801', class: Migration20261203172801 },
  { name: 'Migration20261203174500', class: Migration20261203174500 },
];
