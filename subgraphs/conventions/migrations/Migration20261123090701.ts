import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090701 extends Migration {

  override name = 'Migration20261123090701';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "conventions";`);
    this.addSql(`create table "conventions"."convention" ("id" serial primary key, "structure_id" int not null, "phase" text not null, "status" text not null, "posts_count" int not null, "amount_cents" bigint not null, "start_date" date not null, "end_date" date not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "convention_structure_id_index" on "conventions"."convention" ("structure_id");`);

    this.addSql(`alter table "conventions"."convention" add constraint "convention_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`);
    this.addSql(`alter table "conventions"."convention" add constraint "convention_status_check" check ("status" in ('NON_INTERESSE', 'CONVENTIONNEMENT_EN_COURS', 'CONVENTIONNEMENT_VALIDE', 'CONVENTIONNEMENT_VALIDE_PHASE_2', 'RECONVENTIONNEMENT_INITIE', 'RECONVENTIONNEMENT_VALIDE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "conventions"."convention" cascade;`);

    this.addSql(`drop schema if exists "conventions";`);
  }

}
