import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090705 extends Migration {

  override name = 'Migration20261123090705';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "training";`);
    this.addSql(`create table "training"."formation" ("id" serial primary key, "conseiller_id" int not null, "hours" int not null, "status" text not null, "start_date" date not null, "end_date" date not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "formation_conseiller_id_index" on "training"."formation" ("conseiller_id");`);

    this.addSql(`alter table "training"."formation" add constraint "formation_status_check" check ("status" in ('TO_ENROL', 'ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'ABANDONED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "training"."formation" cascade;`);

    this.addSql(`drop schema if exists "training";`);
  }

}
