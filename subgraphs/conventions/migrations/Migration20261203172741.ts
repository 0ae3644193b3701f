import { Migration } from '@mikro-orm/migrations';

export class Migration20261203172741 extends Migration {
  override name = 'Migration20261203172741';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "conventions"."recruitment_contract" ("mise_en_relation_id" int not null, "conseiller_id" int not null, "structure_id" int not null, "status" text not null, "phase" text not null, "coordinator" boolean not null, "contract_type" text null, "start_date" date null, "end_date" date null, "gross_monthly_salary_cents" int null, "rupture_date" date null, "renewal_of_id" int null, "employed_from" date null, "employed_until" date null, "sequence" bigint null, "updated_at" timestamptz not null, primary key ("mise_en_relation_id"));`,
    );
    this.addSql(`create index "recruitment_contract_conseiller_id_index" on "conventions"."recruitment_contract" ("conseiller_id");`);
    this.addSql(`create index "recruitment_contract_structure_id_index" on "conventions"."recruitment_contract" ("structure_id");`);

    this.addSql(
      `create table "conventions"."recruitment_structure" ("structure_id" int not null, "name" varchar(255) not null, "type" text not null, "sector" text not null, "status" text not null, "network" text null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "commune_code" varchar(5) not null, "advisor_posts" int not null, "coordinator_posts" int not null, "phase" text not null, "is_zrr" boolean not null, "is_qpv" boolean not null, "sequence" bigint null, "updated_at" timestamptz not null, primary key ("structure_id"));`,
    );
    this.addSql(
      `create index "recruitment_structure_departement_code_index" on "conventions"."recruitment_structure" ("departement_code");`,
    );

    this.addSql(
      `alter table "conventions"."recruitment_contract" add constraint "recruitment_contract_status_check" check ("status" in ('NOUVELLE', 'INTERESSEE', 'NON_INTERESSEE', 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE', 'FINALISEE_RUPTURE', 'RENOUVELLEMENT_INITIEE', 'TERMINEE', 'TERMINEE_NATURELLE', 'FINALISEE_NON_DISPONIBLE', 'NON_DISPONIBLE'));`,
    );
    this.addSql(
      `alter table "conventions"."recruitment_contract" add constraint "recruitment_contract_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`,
    );
    this.addSql(
      `alter table "conventions"."recruitment_contract" add constraint "recruitment_contract_contract_type_check" check ("contract_type" in ('CDI', 'CDD', 'PEC', 'CONTRAT_DE_PROJET'));`,
    );

    this.addSql(
      `alter table "conventions"."recruitment_structure" add constraint "recruitment_structure_type_check" check ("type" in ('COMMUNE', 'DEPARTEMENT', 'REGION', 'EPCI', 'COLLECTIVITE', 'GIP', 'PRIVATE'));`,
    );
    this.addSql(
      `alter table "conventions"."recruitment_structure" add constraint "recruitment_structure_sector_check" check ("sector" in ('PUBLIC', 'PRIVATE'));`,
    );
    this.addSql(
      `alter table "conventions"."recruitment_structure" add constraint "recruitment_structure_status_check" check ("status" in ('CREEE', 'EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'ABANDON', 'ANNULEE', 'DOUBLON', 'REFUS_COORDINATEUR'));`,
    );
    this.addSql(
      `alter table "conventions"."recruitment_structure" add constraint "recruitment_structure_network_check" check ("network" in ('CROIX_ROUGE', 'GROUPE_SOS', 'EMMAUS_CONNECT', 'LA_POSTE', 'UNAF', 'LIGUE_ENSEIGNEMENT', 'FAMILLES_RURALES', 'FACE', 'PIMMS', 'APF_HANDICAP', 'UNIJ', 'CONFEDERATION_MJC', 'REGIE_DE_QUARTIER', 'CHAMBRES_AGRICULTURE'));`,
    );
    this.addSql(
      `alter table "conventions"."recruitment_structure" add constraint "recruitment_structure_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "conventions"."recruitment_contract" cascade;`);
    this.addSql(`drop table if exists "conventions"."recruitment_structure" cascade;`);
  }
}
