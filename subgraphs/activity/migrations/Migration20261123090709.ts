import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090709 extends Migration {

  override name = 'Migration20261123090709';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "activity";`);
    this.addSql(`create table "activity"."cra" ("id" serial primary key, "conseiller_id" int not null, "structure_id" int not null, "date" date not null, "activity_type" text not null, "channel" text not null, "participants" int not null, "duration_minutes" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "cra_structure_id_index" on "activity"."cra" ("structure_id");`);
    this.addSql(`create index "cra_conseiller_id_date_id_index" on "activity"."cra" ("conseiller_id", "date", "id");`);

    this.addSql(`alter table "activity"."cra" add constraint "cra_activity_type_check" check ("activity_type" in ('INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'));`);
    this.addSql(`alter table "activity"."cra" add constraint "cra_channel_check" check ("channel" in ('RATTACHEMENT', 'AUTRE_LIEU', 'DISTANCE', 'DOMICILE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "activity"."cra" cascade;`);

    this.addSql(`drop schema if exists "activity";`);
  }

}
