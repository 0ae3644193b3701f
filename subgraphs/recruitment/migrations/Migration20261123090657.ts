import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090657 extends Migration {

  override name = 'Migration20261123090657';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "recruitment";`);
    this.addSql(`create table "recruitment"."structure" ("id" int not null, "name" varchar(255) not null, "siret" varchar(14) null, "type" text not null, "status" text not null, "commune_code" varchar(5) not null, "departement_code" varchar(3) not null, "region_code" varchar(2) not null, "post_quota" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "structure_status_index" on "recruitment"."structure" ("status");`);
    this.addSql(`create index "structure_departement_code_index" on "recruitment"."structure" ("departement_code");`);
    this.addSql(`create index "structure_region_code_index" on "recruitment"."structure" ("region_code");`);

    this.addSql(`create table "recruitment"."conseiller" ("id" int not null, "first_name" varchar(255) not null, "last_name" varchar(255) not null, "status" text not null, "commune_code" varchar(5) not null, "departement_code" varchar(3) not null, "region_code" varchar(2) not null, "structure_id" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "conseiller_status_index" on "recruitment"."conseiller" ("status");`);
    this.addSql(`create index "conseiller_departement_code_index" on "recruitment"."conseiller" ("departement_code");`);
    this.addSql(`create index "conseiller_structure_id_index" on "recruitment"."conseiller" ("structure_id");`);

    this.addSql(`alter table "recruitment"."structure" add constraint "structure_type_check" check ("type" in ('COMMUNE', 'DEPARTEMENT', 'REGION', 'EPCI', 'COLLECTIVITE', 'GIP', 'PRIVATE'));`);
    this.addSql(`alter table "recruitment"."structure" add constraint "structure_status_check" check ("status" in ('CREEE', 'EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'ABANDON', 'ANNULEE', 'DOUBLON', 'REFUS_COORDINATEUR'));`);

    this.addSql(`alter table "recruitment"."conseiller" add constraint "conseiller_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id") on delete set null;`);
    this.addSql(`alter table "recruitment"."conseiller" add constraint "conseiller_status_check" check ("status" in ('CANDIDAT', 'RECRUTE', 'RUPTURE', 'TERMINE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "recruitment"."conseiller" drop constraint "conseiller_structure_id_foreign";`);

    this.addSql(`drop table if exists "recruitment"."structure" cascade;`);
    this.addSql(`drop table if exists "recruitment"."conseiller" cascade;`);

    this.addSql(`drop schema if exists "recruitment";`);
  }

}
