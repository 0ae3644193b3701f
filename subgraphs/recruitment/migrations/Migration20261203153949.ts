import { Migration } from '@mikro-orm/migrations';

export class Migration20261203153949 extends Migration {
  override name = 'Migration20261203153949';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "recruitment"."inbox" ("id" serial primary key, "consumer" varchar(255) not null, "event_id" uuid not null, "type" varchar(255) not null, "aggregate_id" varchar(255) not null, "applied_at" timestamptz null, "parked_at" timestamptz null, "error" text null, "event" jsonb null);`,
    );
    this.addSql(`alter table "recruitment"."inbox" add constraint "inbox_consumer_event_id_unique" unique ("consumer", "event_id");`);

    this.addSql(
      `create table "recruitment"."outbox" ("seq" serial primary key, "event_id" uuid not null, "type" varchar(255) not null, "version" int not null, "aggregate_id" varchar(255) not null, "occurred_at" timestamptz not null, "payload" jsonb not null, "published_at" timestamptz null);`,
    );
    this.addSql(`alter table "recruitment"."outbox" add constraint "outbox_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "outbox_published_at_index" on "recruitment"."outbox" ("published_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "recruitment"."inbox" cascade;`);
    this.addSql(`drop table if exists "recruitment"."outbox" cascade;`);
  }
}
