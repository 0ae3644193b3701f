// Written by `npm run db:migration:create`: the migrations of this subgraph, applied in this order.
import { Migration20261123102229 } from './Migration20261123102229.js';
import { Migration20261203154004 } from './Migration20261203154004.js';
import { Migration20261203172741 } from './Migration20261203172741.js';
import { Migration20261203174500 } from './Migration20261203174500.js';
import { Migration20261203174825 } from './Migration20261203174825.js';
import { Migration20261203175019 } from './Migration20261203175019.js';

export const migrations = [
  { name: 'Migration20261123102229', class: Migration20261123102229 },
  { name: 'Migration20261203154004', class: Migration20261203154004 },
  { name: 'Migration20261203172741', class: Migration20261203172741 },
  { name: 'Migration20261203174500', class: Migration20261203174500 },
  { name: 'Migration20261203174825', class: Migration20261203174825 },
  { name: 'Migration20261203175019', class: Migration20261203175019 },
];
