// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123094019 } from './Migration20261123094019.js';
import { Migration20261203154018 } from './Migration20261203154018.js';
import { Migration20261203172753 } from './Migration20261203172753.js';
import { Migration20261203174500 } from './Migration20261203174500.js';

export const migrations = [
  { name: 'Migration20261123094019', class: Migration20261123094019 },
  { name: 'Migration20261203154018', class: Migration20261203154018 },
  { name: 'Migration20261203172753', class: Migration20261203172753 },
  { name: 'Migration20261203174500', class: Migration20261203174500 },
];
