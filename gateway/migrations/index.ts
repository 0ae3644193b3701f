// The gateway's migrations (schema `gateway`), applied in this order by migrateGateway (gateway/migrate.ts).
import { Migration20261203150000 } from './Migration20261203150000.js';

export const migrations = [{ name: 'Migration20261203150000', class: Migration20261203150000 }];
