import { Migration } from '@mikro-orm/migrations';

export class Migration20261203154040 extends Migration {
  override name = 'Migration20261203154040';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "activity"."inbox" ("id" serial primary key, "consumer" varchar(255) not null, "event_id" uuid not null, "type" varchar(255) not null, "aggregate_id" varchar(255) not null, "applied_at" timestamptz null, "parked_at" timestamptz null, "error" text null, "event" jsonb null);`,
    );
    this.addSql(`alter table "activity"."inbox" add constraint "inbox_consumer_event_id_unique" unique ("consumer", "event_id");`);

    this.addSql(
      `create table "activity"."outbox" ("seq" serial primary key, "event_id" uuid not null, "type" varchar(255) not null, "version" int not null, "aggregate_id" varchar(255) not null, "occurred_at" timestamptz not null, "payload" jsonb not null, "published_at" timestamptz null);`,
    );
    this.addSql(`alter table "activity"."outbox" add constraint "outbox_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "outbox_published_at_index" on "activity"."outbox" ("published_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "activity"."inbox" cascade;`);
    this.addSql(`drop table if exists "activity"."outbox" cascade;`);
  }
}
