import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102033 extends Migration {
  override name = 'Migration20261123102033';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "recruitment";`);
    this.addSql(
      `create table "recruitment"."conseiller_deletion" ("id" serial primary key, "conseiller_id" int not null, "reason" text not null, "actor" varchar(255) null, "deleted_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "recruitment"."conseiller_deletion" add constraint "conseiller_deletion_conseiller_id_unique" unique ("conseiller_id");`,
    );

    this.addSql(
      `create table "recruitment"."structure" ("id" serial primary key, "name" varchar(255) not null, "siret" varchar(14) null, "ridet" varchar(7) null, "type" text not null, "status" text not null, "network" text null, "address_line" varchar(255) null, "postal_code" varchar(5) null, "commune_code" varchar(5) not null, "commune_name" varchar(255) null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "latitude" double precision null, "longitude" double precision null, "is_zrr" boolean not null default false, "qpv_status" text not null default 'NON', "is_france_services" boolean not null default false, "contact_first_name" varchar(255) null, "contact_last_name" varchar(255) null, "contact_role" varchar(255) null, "contact_email" varchar(255) null, "contact_phone" varchar(20) null, "has_identified_candidate" boolean not null default false, "mission_start_date" date null, "requested_advisors" int not null default 1, "motivation" text null, "is_coordinator_application" boolean not null default false, "coordinator_contract_type" text null, "has_identified_coordinator" boolean not null default false, "post_quota" int not null default 0, "validated_at" timestamptz null, "coselec_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "structure_siret_index" on "recruitment"."structure" ("siret");`);
    this.addSql(`create index "structure_status_index" on "recruitment"."structure" ("status");`);
    this.addSql(`create index "structure_network_index" on "recruitment"."structure" ("network");`);
    this.addSql(`create index "structure_departement_code_index" on "recruitment"."structure" ("departement_code");`);
    this.addSql(`create index "structure_region_code_index" on "recruitment"."structure" ("region_code");`);

    this.addSql(
      `create table "recruitment"."prefect_opinion" ("id" serial primary key, "structure_id" int not null, "opinion" text not null, "comment" text not null, "transfer_from_id" int null, "author" varchar(255) null, "inserted_at" timestamptz not null);`,
    );
    this.addSql(`create index "prefect_opinion_structure_id_index" on "recruitment"."prefect_opinion" ("structure_id");`);

    this.addSql(
      `create table "recruitment"."post_transfer" ("id" serial primary key, "from_structure_id" int not null, "to_structure_id" int not null, "posts" int not null, "actor" varchar(255) null, "transferred_at" timestamptz not null);`,
    );
    this.addSql(`create index "post_transfer_from_structure_id_index" on "recruitment"."post_transfer" ("from_structure_id");`);
    this.addSql(`create index "post_transfer_to_structure_id_index" on "recruitment"."post_transfer" ("to_structure_id");`);

    this.addSql(
      `create table "recruitment"."post_request" ("id" serial primary key, "structure_id" int not null, "type" text not null, "status" text not null, "is_coordinator_post" boolean not null default false, "posts_before" int not null, "posts_requested" int not null, "posts_granted" int null, "reason" text not null, "other_reason" text null, "phase" text not null, "requested_by" varchar(255) null, "requested_at" timestamptz not null, "prefect_opinion" text null, "prefect_comment" text null, "prefect_author" varchar(255) null, "prefect_opinion_at" timestamptz null, "transfer_from_id" int null, "decided_by" varchar(255) null, "decided_at" timestamptz null);`,
    );
    this.addSql(`create index "post_request_structure_id_index" on "recruitment"."post_request" ("structure_id");`);
    this.addSql(`create index "post_request_status_index" on "recruitment"."post_request" ("status");`);

    this.addSql(
      `create table "recruitment"."coselec_decision" ("id" serial primary key, "structure_id" int not null, "posts_granted" int not null, "opinion" text not null, "number" varchar(255) null, "phase" text not null, "type" text not null default 'CONSEILLER', "is_priority" boolean not null default false, "observations" text null, "validator" varchar(255) null, "inserted_at" timestamptz not null);`,
    );
    this.addSql(`create index "coselec_decision_structure_id_index" on "recruitment"."coselec_decision" ("structure_id");`);

    this.addSql(
      `create table "recruitment"."coordinator_request" ("id" serial primary key, "structure_id" int not null, "status" text not null, "is_given_back" boolean not null default false, "dossier_number" int null, "prefect_opinion" text null, "prefect_comment" text null, "prefect_author" varchar(255) null, "prefect_opinion_at" timestamptz null, "requested_by" varchar(255) null, "requested_at" timestamptz not null, "decided_by" varchar(255) null, "decided_at" timestamptz null);`,
    );
    this.addSql(`create index "coordinator_request_structure_id_index" on "recruitment"."coordinator_request" ("structure_id");`);
    this.addSql(`create index "coordinator_request_status_index" on "recruitment"."coordinator_request" ("status");`);

    this.addSql(
      `create table "recruitment"."conseiller" ("id" serial primary key, "first_name" varchar(255) not null, "last_name" varchar(255) not null, "status" text not null, "postal_code" varchar(5) null, "commune_code" varchar(5) not null, "commune_name" varchar(255) null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "latitude" double precision null, "longitude" double precision null, "max_distance_km" int not null default 2000, "available_from" date null, "is_available" boolean not null default true, "is_job_seeker" boolean not null default false, "is_employed" boolean not null default false, "is_in_training" boolean not null default false, "has_med_num_diploma" boolean not null default false, "med_num_diploma_name" varchar(255) null, "has_med_num_experience" boolean not null default false, "motivation" text null, "cv_uploaded_at" timestamptz null, "pix_shared" boolean not null default false, "pix_shared_at" timestamptz null, "pix_level" smallint null, "pix_skill_professional" boolean not null default false, "pix_skill_resources" boolean not null default false, "pix_skill_citizenship" boolean not null default false, "structure_id" int null, "started_at" date null, "is_coordinator" boolean not null default false, "coordination_scope" text null, "coordinated_items" text[] null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "conseiller_status_index" on "recruitment"."conseiller" ("status");`);
    this.addSql(`create index "conseiller_departement_code_index" on "recruitment"."conseiller" ("departement_code");`);
    this.addSql(`create index "conseiller_region_code_index" on "recruitment"."conseiller" ("region_code");`);
    this.addSql(`create index "conseiller_is_available_index" on "recruitment"."conseiller" ("is_available");`);
    this.addSql(`create index "conseiller_structure_id_index" on "recruitment"."conseiller" ("structure_id");`);

    this.addSql(
      `create table "recruitment"."mise_en_relation" ("id" serial primary key, "structure_id" int not null, "conseiller_id" int not null, "status" text not null, "origin" text not null default 'MATCHING', "distance_meters" int null, "phase" text not null default 'PHASE_1', "is_coordinator_contract" boolean not null default false, "contract_type" text null, "contract_start_date" date null, "contract_end_date" date null, "gross_monthly_salary_cents" int null, "recruitment_requested_by" varchar(255) null, "recruitment_requested_at" timestamptz null, "recruitment_validated_by" varchar(255) null, "recruitment_validated_at" timestamptz null, "rupture_date" date null, "rupture_reason" text null, "rupture_missing_documents" boolean not null default false, "rupture_declared_by" varchar(255) null, "rupture_declared_at" timestamptz null, "rupture_validated_by" varchar(255) null, "rupture_validated_at" timestamptz null, "renewal_of_id" int null, "renewal_requested_by" varchar(255) null, "renewal_requested_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "mise_en_relation_structure_id_index" on "recruitment"."mise_en_relation" ("structure_id");`);
    this.addSql(`create index "mise_en_relation_conseiller_id_index" on "recruitment"."mise_en_relation" ("conseiller_id");`);
    this.addSql(`create index "mise_en_relation_status_index" on "recruitment"."mise_en_relation" ("status");`);
    this.addSql(`create index "mise_en_relation_renewal_of_id_index" on "recruitment"."mise_en_relation" ("renewal_of_id");`);
    this.addSql(`create index "mise_en_relation_updated_at_index" on "recruitment"."mise_en_relation" ("updated_at");`);

    this.addSql(
      `create table "recruitment"."mise_en_relation_event" ("id" serial primary key, "mise_en_relation_id" int not null, "from_status" text null, "to_status" text not null, "actor" varchar(255) null, "at" timestamptz not null);`,
    );
    this.addSql(
      `create index "mise_en_relation_event_mise_en_relation_id_index" on "recruitment"."mise_en_relation_event" ("mise_en_relation_id");`,
    );

    this.addSql(
      `create table "recruitment"."contract_extension" ("id" serial primary key, "mise_en_relation_id" int not null, "status" text not null, "current_end_date" date not null, "requested_end_date" date not null, "current_salary_cents" int not null, "requested_salary_cents" int not null, "requested_by" varchar(255) null, "requested_at" timestamptz not null, "validated_by" varchar(255) null, "validated_at" timestamptz null);`,
    );
    this.addSql(
      `create index "contract_extension_mise_en_relation_id_index" on "recruitment"."contract_extension" ("mise_en_relation_id");`,
    );

    this.addSql(
      `create table "recruitment"."conseiller_personal_data" ("conseiller_id" int not null, "email" varchar(255) not null, "phone" varchar(20) null, "birth_date" date null, "sex" text null, primary key ("conseiller_id"));`,
    );

    this.addSql(
      `alter table "recruitment"."conseiller_deletion" add constraint "conseiller_deletion_reason_check" check ("reason" in ('DOUBLON', 'DEMANDE_RGPD'));`,
    );

    this.addSql(
      `alter table "recruitment"."structure" add constraint "structure_type_check" check ("type" in ('COMMUNE', 'DEPARTEMENT', 'REGION', 'EPCI', 'COLLECTIVITE', 'GIP', 'PRIVATE'));`,
    );
    this.addSql(
      `alter table "recruitment"."structure" add constraint "structure_status_check" check ("status" in ('CREEE', 'EXAMEN_COMPLEMENTAIRE_COSELEC', 'VALIDATION_COSELEC', 'REFUS_COSELEC', 'ABANDON', 'ANNULEE', 'DOUBLON', 'REFUS_COORDINATEUR'));`,
    );
    this.addSql(
      `alter table "recruitment"."structure" add constraint "structure_network_check" check ("network" in ('CROIX_ROUGE', 'GROUPE_SOS', 'EMMAUS_CONNECT', 'LA_POSTE', 'UNAF', 'LIGUE_ENSEIGNEMENT', 'FAMILLES_RURALES', 'FACE', 'PIMMS', 'APF_HANDICAP', 'UNIJ', 'CONFEDERATION_MJC', 'REGIE_DE_QUARTIER', 'CHAMBRES_AGRICULTURE'));`,
    );
    this.addSql(
      `alter table "recruitment"."structure" add constraint "structure_qpv_status_check" check ("qpv_status" in ('OUI', 'NON', 'SANS_OBJET'));`,
    );
    this.addSql(
      `alter table "recruitment"."structure" add constraint "structure_coordinator_contract_type_check" check ("coordinator_contract_type" in ('PT', 'FT'));`,
    );

    this.addSql(
      `alter table "recruitment"."prefect_opinion" add constraint "prefect_opinion_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."prefect_opinion" add constraint "prefect_opinion_transfer_from_id_foreign" foreign key ("transfer_from_id") references "recruitment"."structure" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "recruitment"."prefect_opinion" add constraint "prefect_opinion_opinion_check" check ("opinion" in ('POSITIF', 'NEGATIF'));`,
    );

    this.addSql(
      `alter table "recruitment"."post_transfer" add constraint "post_transfer_from_structure_id_foreign" foreign key ("from_structure_id") references "recruitment"."structure" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."post_transfer" add constraint "post_transfer_to_structure_id_foreign" foreign key ("to_structure_id") references "recruitment"."structure" ("id");`,
    );

    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_transfer_from_id_foreign" foreign key ("transfer_from_id") references "recruitment"."structure" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_type_check" check ("type" in ('AJOUT', 'RETRAIT'));`,
    );
    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_status_check" check ("status" in ('EN_COURS', 'VALIDEE', 'REFUSEE'));`,
    );
    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_reason_check" check ("reason" in ('BESOIN_NON_JUSTIFIE', 'DIFFICULTES_RECRUTEMENT', 'CAPACITES_FINANCIERES', 'MANQUE_DE_VISIBILITE', 'FIN_DE_SUBVENTIONNEMENT', 'RENFORCER_EQUIPE', 'DEVELOPPER_OFFRE', 'FORTE_DEMANDE', 'AUTRE'));`,
    );
    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`,
    );
    this.addSql(
      `alter table "recruitment"."post_request" add constraint "post_request_prefect_opinion_check" check ("prefect_opinion" in ('POSITIF', 'NEGATIF'));`,
    );

    this.addSql(
      `alter table "recruitment"."coselec_decision" add constraint "coselec_decision_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."coselec_decision" add constraint "coselec_decision_opinion_check" check ("opinion" in ('POSITIF', 'NEGATIF', 'EXAMEN_COMPLEMENTAIRE'));`,
    );
    this.addSql(
      `alter table "recruitment"."coselec_decision" add constraint "coselec_decision_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`,
    );
    this.addSql(
      `alter table "recruitment"."coselec_decision" add constraint "coselec_decision_type_check" check ("type" in ('CONSEILLER', 'COORDINATEUR', 'COORDINATEUR_RENDU'));`,
    );
    this.addSql(
      `create or replace function "recruitment"."coselec_decision_coselec_decision_append_only_fn"() returns trigger as $$ begin raise exception 'coselec_decision is append-only'; end; $$ language plpgsql;`,
    );
    this.addSql(
      `create trigger "coselec_decision_append_only" BEFORE UPDATE OR DELETE on "recruitment"."coselec_decision" for each ROW execute function "recruitment"."coselec_decision_coselec_decision_append_only_fn"();`,
    );

    this.addSql(
      `alter table "recruitment"."coordinator_request" add constraint "coordinator_request_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."coordinator_request" add constraint "coordinator_request_status_check" check ("status" in ('EN_COURS', 'VALIDEE', 'REFUSEE'));`,
    );
    this.addSql(
      `alter table "recruitment"."coordinator_request" add constraint "coordinator_request_prefect_opinion_check" check ("prefect_opinion" in ('POSITIF', 'NEGATIF'));`,
    );

    this.addSql(
      `alter table "recruitment"."conseiller" add constraint "conseiller_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "recruitment"."conseiller" add constraint "conseiller_status_check" check ("status" in ('CANDIDAT', 'RECRUTE', 'RUPTURE', 'TERMINE'));`,
    );
    this.addSql(
      `alter table "recruitment"."conseiller" add constraint "conseiller_coordination_scope_check" check ("coordination_scope" in ('CONSEILLERS', 'COMMUNES', 'DEPARTEMENTS', 'REGIONS'));`,
    );

    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_structure_id_foreign" foreign key ("structure_id") references "recruitment"."structure" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_conseiller_id_foreign" foreign key ("conseiller_id") references "recruitment"."conseiller" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_renewal_of_id_foreign" foreign key ("renewal_of_id") references "recruitment"."mise_en_relation" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_status_check" check ("status" in ('NOUVELLE', 'INTERESSEE', 'NON_INTERESSEE', 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE', 'FINALISEE_RUPTURE', 'RENOUVELLEMENT_INITIEE', 'TERMINEE', 'TERMINEE_NATURELLE', 'FINALISEE_NON_DISPONIBLE', 'NON_DISPONIBLE'));`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_origin_check" check ("origin" in ('MATCHING', 'MANUEL'));`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_contract_type_check" check ("contract_type" in ('CDI', 'CDD', 'PEC', 'CONTRAT_DE_PROJET'));`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation" add constraint "mise_en_relation_rupture_reason_check" check ("rupture_reason" in ('LICENCIEMENT', 'NON_RECONDUCTION_CDD', 'DEMISSION', 'CDISATION', 'FIN_DE_SUBVENTIONNEMENT'));`,
    );

    this.addSql(
      `alter table "recruitment"."mise_en_relation_event" add constraint "mise_en_relation_event_mise_en_relation_id_foreign" foreign key ("mise_en_relation_id") references "recruitment"."mise_en_relation" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation_event" add constraint "mise_en_relation_event_from_status_check" check ("from_status" in ('NOUVELLE', 'INTERESSEE', 'NON_INTERESSEE', 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE', 'FINALISEE_RUPTURE', 'RENOUVELLEMENT_INITIEE', 'TERMINEE', 'TERMINEE_NATURELLE', 'FINALISEE_NON_DISPONIBLE', 'NON_DISPONIBLE'));`,
    );
    this.addSql(
      `alter table "recruitment"."mise_en_relation_event" add constraint "mise_en_relation_event_to_status_check" check ("to_status" in ('NOUVELLE', 'INTERESSEE', 'NON_INTERESSEE', 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE', 'FINALISEE_RUPTURE', 'RENOUVELLEMENT_INITIEE', 'TERMINEE', 'TERMINEE_NATURELLE', 'FINALISEE_NON_DISPONIBLE', 'NON_DISPONIBLE'));`,
    );

    this.addSql(
      `alter table "recruitment"."contract_extension" add constraint "contract_extension_mise_en_relation_id_foreign" foreign key ("mise_en_relation_id") references "recruitment"."mise_en_relation" ("id");`,
    );
    this.addSql(
      `alter table "recruitment"."contract_extension" add constraint "contract_extension_status_check" check ("status" in ('INITIEE', 'VALIDEE'));`,
    );

    this.addSql(
      `alter table "recruitment"."conseiller_personal_data" add constraint "conseiller_personal_data_conseiller_id_foreign" foreign key ("conseiller_id") references "recruitment"."conseiller" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "recruitment"."conseiller_personal_data" add constraint "conseiller_personal_data_sex_check" check ("sex" in ('FEMME', 'HOMME'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "recruitment"."prefect_opinion" drop constraint "prefect_opinion_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."prefect_opinion" drop constraint "prefect_opinion_transfer_from_id_foreign";`);
    this.addSql(`alter table "recruitment"."post_transfer" drop constraint "post_transfer_from_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."post_transfer" drop constraint "post_transfer_to_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."post_request" drop constraint "post_request_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."post_request" drop constraint "post_request_transfer_from_id_foreign";`);
    this.addSql(`alter table "recruitment"."coselec_decision" drop constraint "coselec_decision_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."coordinator_request" drop constraint "coordinator_request_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."conseiller" drop constraint "conseiller_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."mise_en_relation" drop constraint "mise_en_relation_structure_id_foreign";`);
    this.addSql(`alter table "recruitment"."mise_en_relation" drop constraint "mise_en_relation_conseiller_id_foreign";`);
    this.addSql(`alter table "recruitment"."conseiller_personal_data" drop constraint "conseiller_personal_data_conseiller_id_foreign";`);
    this.addSql(`alter table "recruitment"."mise_en_relation" drop constraint "mise_en_relation_renewal_of_id_foreign";`);
    this.addSql(`alter table "recruitment"."mise_en_relation_event" drop constraint "mise_en_relation_event_mise_en_relation_id_foreign";`);
    this.addSql(`alter table "recruitment"."contract_extension" drop constraint "contract_extension_mise_en_relation_id_foreign";`);

    this.addSql(`drop table if exists "recruitment"."conseiller_deletion" cascade;`);
    this.addSql(`drop table if exists "recruitment"."structure" cascade;`);
    this.addSql(`drop table if exists "recruitment"."prefect_opinion" cascade;`);
    this.addSql(`drop table if exists "recruitment"."post_transfer" cascade;`);
    this.addSql(`drop table if exists "recruitment"."post_request" cascade;`);
    this.addSql(`drop trigger if exists "coselec_decision_append_only" on "recruitment"."coselec_decision";`);
    this.addSql(`drop function if exists "recruitment"."coselec_decision_coselec_decision_append_only_fn"();`);
    this.addSql(`drop table if exists "recruitment"."coselec_decision" cascade;`);
    this.addSql(`drop table if exists "recruitment"."coordinator_request" cascade;`);
    this.addSql(`drop table if exists "recruitment"."conseiller" cascade;`);
    this.addSql(`drop table if exists "recruitment"."mise_en_relation" cascade;`);
    this.addSql(`drop table if exists "recruitment"."mise_en_relation_event" cascade;`);
    this.addSql(`drop table if exists "recruitment"."contract_extension" cascade;`);
    this.addSql(`drop table if exists "recruitment"."conseiller_personal_data" cascade;`);

    this.addSql(`drop schema if exists "recruitment";`);
  }
}
