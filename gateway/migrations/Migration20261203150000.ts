import { Migration } from '@mikro-orm/migrations';

/** The API-key registry and its audit trail (gateway/api-key-store.ts). */
export class Migration20261203150000 extends Migration {
  override name = 'Migration20261203150000';

  override up(): void | Promise<void> {
    // `if not exists`: databases where the gateway used to create these tables at start-up keep them and their keys.
    this.addSql(`create schema if not exists "gateway";`);
    this.addSql(
      `create table if not exists "gateway"."api_key" ("id" text primary key, "name" text not null, "hash" text not null, "previous_hash" text null, "previous_valid_until" timestamptz null, "scopes" text[] not null, "departements" text[] not null default '{}', "regions" text[] not null default '{}', "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, "revoked_reason" text null, "last_used_at" timestamptz null);`,
    );
    this.addSql(
      `create table if not exists "gateway"."api_key_event" ("id" bigserial primary key, "key_id" text not null, "event" text not null, "detail" text null, "at" timestamptz not null default now());`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "gateway"."api_key_event" cascade;`);
    this.addSql(`drop table if exists "gateway"."api_key" cascade;`);
  }
}
