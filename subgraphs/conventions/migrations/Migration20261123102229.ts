import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102229 extends Migration {
  override name = 'Migration20261123102229';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "conventions";`);
    this.addSql(
      `create table "conventions"."convention" ("id" serial primary key, "structure_id" int not null, "phase" text not null, "status" text not null, "sector" text not null, "legal_category" text not null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "priority_area" boolean not null default false, "network" text null, "posts_count" int not null, "amount_cents" bigint not null, "duration_months" int not null, "start_date" date not null, "end_date" date not null, "signed_on" date null, "ds_number" int null, "ds_procedure" text null, "ds_state" text null, "ds_created_at" timestamptz null, "ds_instruction_started_at" timestamptz null, "ds_processed_at" timestamptz null, "ds_updated_at" timestamptz null, "previous_convention_id" int null, "decline_reason" text null, "terminated_on" date null, "termination_kind" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "convention_structure_id_index" on "conventions"."convention" ("structure_id");`);
    this.addSql(`create index "convention_departement_code_index" on "conventions"."convention" ("departement_code");`);
    this.addSql(`create index "convention_region_code_index" on "conventions"."convention" ("region_code");`);
    this.addSql(`create index "convention_network_index" on "conventions"."convention" ("network");`);
    this.addSql(`alter table "conventions"."convention" add constraint "convention_ds_number_unique" unique ("ds_number");`);
    this.addSql(`create index "convention_previous_convention_id_index" on "conventions"."convention" ("previous_convention_id");`);

    this.addSql(
      `create table "conventions"."amendment" ("id" serial primary key, "convention_id" int not null, "type" text not null, "status" text not null, "coordinator" boolean not null default false, "coordinator_contract" text null, "reason" text not null, "reason_detail" text null, "posts_before" int not null, "posts_requested" int null, "posts_granted" int null, "given_back_post_ids" jsonb null, "prefect_opinion" text null, "prefect_comment" text null, "prefect_opinion_on" date null, "transfer_from_structure_id" int null, "requested_on" date not null, "decided_on" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "amendment_convention_id_index" on "conventions"."amendment" ("convention_id");`);
    this.addSql(`create index "amendment_status_index" on "conventions"."amendment" ("status");`);
    this.addSql(`create index "amendment_requested_on_index" on "conventions"."amendment" ("requested_on");`);

    this.addSql(
      `create table "conventions"."credit_note" ("id" serial primary key, "convention_id" int not null, "post_id" int null, "amount_cents" bigint not null, "reason" text not null, "issued_on" date not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "credit_note_convention_id_index" on "conventions"."credit_note" ("convention_id");`);

    this.addSql(
      `create table "conventions"."post" ("id" serial primary key, "convention_id" int not null, "structure_id" int not null, "typology" text not null, "coordinator_contract" text null, "state" text not null, "attribution_date" date not null, "given_back_on" date null, "exit_reason" text null, "conseiller_id" int null, "renewed" boolean not null default false, "renewed_from_id" int null, "transferred_from_id" int null, "funding_start" date not null, "funding_months" int not null, "months_used" int null, "funding_cents" bigint not null, "bonus_cents" bigint not null default '0', "paid_cents" bigint not null default '0', "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "post_convention_id_index" on "conventions"."post" ("convention_id");`);
    this.addSql(`create index "post_structure_id_index" on "conventions"."post" ("structure_id");`);
    this.addSql(`create index "post_conseiller_id_index" on "conventions"."post" ("conseiller_id");`);

    this.addSql(
      `create table "conventions"."employment_contract" ("id" serial primary key, "post_id" int not null, "conseiller_id" int not null, "type" text not null, "start_date" date not null, "end_date" date null, "received_on" date not null, "ended_early_on" date null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "employment_contract_post_id_index" on "conventions"."employment_contract" ("post_id");`);
    this.addSql(`create index "employment_contract_conseiller_id_index" on "conventions"."employment_contract" ("conseiller_id");`);

    this.addSql(
      `create table "conventions"."tranche" ("id" serial primary key, "convention_id" int not null, "rank" smallint not null, "period_start" date not null, "period_end" date not null, "due_date" date not null, "amount_cents" bigint not null, "paid_on" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "conventions"."tranche" add constraint "tranche_convention_id_rank_unique" unique ("convention_id", "rank");`);

    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_status_check" check ("status" in ('NON_INTERESSE', 'CONVENTIONNEMENT_EN_COURS', 'CONVENTIONNEMENT_VALIDE', 'CONVENTIONNEMENT_VALIDE_PHASE_2', 'RECONVENTIONNEMENT_INITIE', 'RECONVENTIONNEMENT_VALIDE'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_sector_check" check ("sector" in ('PUBLIC', 'PRIVATE'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_legal_category_check" check ("legal_category" in ('STRUCTURE_PUBLIQUE', 'ASSOCIATION', 'ENTREPRISE'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_network_check" check ("network" in ('CROIX_ROUGE', 'GROUPE_SOS', 'EMMAUS_CONNECT', 'LA_POSTE', 'UNAF', 'LIGUE_ENSEIGNEMENT', 'FAMILLES_RURALES', 'FACE', 'PIMMS', 'APF_HANDICAP', 'UNIJ', 'CONFEDERATION_MJC', 'REGIE_DE_QUARTIER', 'CHAMBRES_AGRICULTURE'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_ds_procedure_check" check ("ds_procedure" in ('CONVENTIONNEMENT_STRUCTURE_PUBLIQUE', 'CONVENTIONNEMENT_ASSOCIATION', 'CONVENTIONNEMENT_ENTREPRISE', 'RECONVENTIONNEMENT_STRUCTURE_PUBLIQUE', 'RECONVENTIONNEMENT_ASSOCIATION', 'RECONVENTIONNEMENT_ENTREPRISE', 'RECRUTEMENT_COORDINATEUR'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_ds_state_check" check ("ds_state" in ('en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'));`,
    );
    this.addSql(
      `alter table "conventions"."convention" add constraint "convention_termination_kind_check" check ("termination_kind" in ('NATURAL_END', 'EARLY_EXIT'));`,
    );

    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_convention_id_foreign" foreign key ("convention_id") references "conventions"."convention" ("id");`,
    );
    this.addSql(`alter table "conventions"."amendment" add constraint "amendment_type_check" check ("type" in ('AJOUT', 'RETRAIT'));`);
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_status_check" check ("status" in ('EN_COURS', 'VALIDEE', 'REFUSEE'));`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_coordinator_contract_check" check ("coordinator_contract" in ('CDI', 'CDD'));`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_reason_check" check ("reason" in ('BESOIN_NON_JUSTIFIE', 'DIFFICULTES_RECRUTEMENT', 'CAPACITES_FINANCIERES_INSUFFISANTES', 'MANQUE_DE_VISIBILITE', 'FIN_DE_SUBVENTIONNEMENT', 'RENFORCER_EQUIPE', 'DEVELOPPER_OFFRE', 'FORTE_DEMANDE_TERRITOIRE', 'AUTRE'));`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_prefect_opinion_check" check ("prefect_opinion" in ('POSITIF', 'NEGATIF'));`,
    );

    this.addSql(
      `alter table "conventions"."credit_note" add constraint "credit_note_convention_id_foreign" foreign key ("convention_id") references "conventions"."convention" ("id");`,
    );
    this.addSql(
      `alter table "conventions"."credit_note" add constraint "credit_note_reason_check" check ("reason" in ('POST_GIVEN_BACK', 'EARLY_TERMINATION'));`,
    );

    this.addSql(
      `alter table "conventions"."post" add constraint "post_convention_id_foreign" foreign key ("convention_id") references "conventions"."convention" ("id");`,
    );
    this.addSql(
      `alter table "conventions"."post" add constraint "post_typology_check" check ("typology" in ('CONSEILLER', 'COORDINATEUR'));`,
    );
    this.addSql(
      `alter table "conventions"."post" add constraint "post_coordinator_contract_check" check ("coordinator_contract" in ('CDI', 'CDD'));`,
    );
    this.addSql(`alter table "conventions"."post" add constraint "post_state_check" check ("state" in ('OCCUPE', 'VACANT', 'RENDU'));`);
    this.addSql(
      `alter table "conventions"."post" add constraint "post_exit_reason_check" check ("exit_reason" in ('AVENANT_RETRAIT', 'TRANSFERT', 'RESILIATION', 'FIN_DE_CONVENTION'));`,
    );

    this.addSql(
      `alter table "conventions"."employment_contract" add constraint "employment_contract_post_id_foreign" foreign key ("post_id") references "conventions"."post" ("id");`,
    );
    this.addSql(
      `alter table "conventions"."employment_contract" add constraint "employment_contract_type_check" check ("type" in ('CDI', 'CDD', 'PEC', 'CONTRAT_DE_PROJET'));`,
    );

    this.addSql(
      `alter table "conventions"."tranche" add constraint "tranche_convention_id_foreign" foreign key ("convention_id") references "conventions"."convention" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_convention_id_foreign";`);
    this.addSql(`alter table "conventions"."credit_note" drop constraint "credit_note_convention_id_foreign";`);
    this.addSql(`alter table "conventions"."post" drop constraint "post_convention_id_foreign";`);
    this.addSql(`alter table "conventions"."tranche" drop constraint "tranche_convention_id_foreign";`);
    this.addSql(`alter table "conventions"."employment_contract" drop constraint "employment_contract_post_id_foreign";`);

    this.addSql(`drop table if exists "conventions"."convention" cascade;`);
    this.addSql(`drop table if exists "conventions"."amendment" cascade;`);
    this.addSql(`drop table if exists "conventions"."credit_note" cascade;`);
    this.addSql(`drop table if exists "conventions"."post" cascade;`);
    this.addSql(`drop table if exists "conventions"."employment_contract" cascade;`);
    this.addSql(`drop table if exists "conventions"."tranche" cascade;`);

    this.addSql(`drop schema if exists "conventions";`);
  }
}
