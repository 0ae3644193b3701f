import { Migration } from '@mikro-orm/migrations';
import { rebuildAggregateSql } from '../services/aggregates.js';

/**
 * The per-advisor monthly aggregates also split by the département (and carry the région) of the sessions, so a
 * viewer's territorial restriction applies to per-advisor and per-structure statistics. The table is derived data:
 * emptied, re-keyed, then refilled from the reports with the same upsert the writes use.
 */
export class Migration20261123102418 extends Migration {
  override name = 'Migration20261123102418';

  override up(): void | Promise<void> {
    this.addSql(`truncate "activity"."cra_stats_month";`);
    this.addSql(`alter table "activity"."cra_stats_month" drop constraint "cra_stats_month_pkey";`);
    this.addSql(
      `alter table "activity"."cra_stats_month" add "departement_code" varchar(3) not null, add "region_code" varchar(3) not null;`,
    );
    this.addSql(
      `alter table "activity"."cra_stats_month" add primary key ("month", "conseiller_id", "structure_id", "departement_code", "activity_type");`,
    );
    this.addSql(rebuildAggregateSql('activity', 'cra_stats_month'));
  }

  // Leaves the table empty: `rebuildAggregates` refills it.
  override down(): void | Promise<void> {
    this.addSql(`truncate "activity"."cra_stats_month";`);
    this.addSql(`alter table "activity"."cra_stats_month" drop constraint "cra_stats_month_pkey";`);
    this.addSql(`alter table "activity"."cra_stats_month" drop column "departement_code", drop column "region_code";`);
    this.addSql(`alter table "activity"."cra_stats_month" add primary key ("month", "conseiller_id", "structure_id", "activity_type");`);
  }
}
