import { Migration } from '@mikro-orm/migrations';

/** The inbox keeps when each event occurred, so a consumer's lag (commit to applied) can be measured. */
export class Migration20261203174500 extends Migration {
  override name = 'Migration20261203174500';

  override up(): void | Promise<void> {
    this.addSql(`alter table "conventions"."inbox" add column "occurred_at" timestamptz null;`);
    this.addSql(`create index "inbox_consumer_applied_at_index" on "conventions"."inbox" ("consumer", "applied_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "conventions"."inbox_consumer_applied_at_index";`);
    this.addSql(`alter table "conventions"."inbox" drop column "occurred_at";`);
  }
}
