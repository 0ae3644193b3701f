import { Migration } from '@mikro-orm/migrations';

export class Migration20261123100749 extends Migration {
  override name = 'Migration20261123100749';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "activity";`);
    this.addSql(
      `create table "activity"."cra_advisor_activity" ("conseiller_id" int not null, "structure_id" int not null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "first_date" date not null, "last_date" date not null, "reports" int not null, primary key ("conseiller_id"));`,
    );
    this.addSql(`create index "cra_advisor_activity_structure_id_index" on "activity"."cra_advisor_activity" ("structure_id");`);
    this.addSql(`create index "cra_advisor_activity_departement_code_index" on "activity"."cra_advisor_activity" ("departement_code");`);

    this.addSql(
      `create table "activity"."cra_audit" ("id" serial primary key, "cra_id" int not null, "action" text not null, "at" timestamptz not null, "actor_id" varchar(255) null, "actor_role" varchar(20) null, "before" jsonb null, "after" jsonb null);`,
    );
    this.addSql(`create index "cra_audit_cra_id_index" on "activity"."cra_audit" ("cra_id");`);

    this.addSql(
      `create table "activity"."cra_stats_commune_month" ("commune_code" varchar(5) not null, "month" date not null, "activity_type" text not null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "reports" int not null default 0, "participants" int not null default 0, "recurring_participants" int not null default 0, "duration_minutes" int not null default 0, "followup_individual" int not null default 0, "followup_workshop" int not null default 0, "followup_redirected" int not null default 0, "channel_rattachement" int not null default 0, "channel_autre_lieu" int not null default 0, "channel_distance" int not null default 0, "channel_domicile" int not null default 0, "duration_minutes_0_30" int not null default 0, "duration_minutes_30_60" int not null default 0, "duration_minutes_60_120" int not null default 0, "duration_minutes_120_plus" int not null default 0, "age_under_12" int not null default 0, "age_from_12_to_18" int not null default 0, "age_from_18_to_35" int not null default 0, "age_from_35_to_60" int not null default 0, "age_over_60" int not null default 0, "status_etudiant" int not null default 0, "status_sans_emploi" int not null default 0, "status_en_emploi" int not null default 0, "status_retraite" int not null default 0, "status_heterogene" int not null default 0, "theme_equipement_informatique" int not null default 0, "theme_vocabulaire" int not null default 0, "theme_internet" int not null default 0, "theme_securite" int not null default 0, "theme_courriel" int not null default 0, "theme_echanger" int not null default 0, "theme_traitement_texte" int not null default 0, "theme_contenus_numeriques" int not null default 0, "theme_trouver_emploi" int not null default 0, "theme_tpe_pme" int not null default 0, "theme_accompagner_enfant" int not null default 0, "theme_demarche_en_ligne" int not null default 0, "theme_fraude_et_harcelement" int not null default 0, "theme_sante" int not null default 0, "theme_smartphone" int not null default 0, "theme_budget" int not null default 0, "theme_scolaire" int not null default 0, "theme_diagnostic" int not null default 0, "theme_autre" int not null default 0, "redirection_ants" int not null default 0, "redirection_assistante_sociale" int not null default 0, "redirection_caf" int not null default 0, "redirection_carsat" int not null default 0, "redirection_ccas" int not null default 0, "redirection_cefs" int not null default 0, "redirection_cip" int not null default 0, "redirection_cpam" int not null default 0, "redirection_dgfip" int not null default 0, "redirection_france_services" int not null default 0, "redirection_mairie" int not null default 0, "redirection_mediatheque" int not null default 0, "redirection_mission_locale" int not null default 0, "redirection_pole_emploi" int not null default 0, "redirection_prefecture" int not null default 0, "redirection_sous_prefecture" int not null default 0, "redirection_service_de_police" int not null default 0, "redirection_gendarmerie" int not null default 0, "redirection_revendeur_informatique" int not null default 0, "redirection_tiers_lieu_fablab" int not null default 0, "redirection_autre" int not null default 0, primary key ("commune_code", "month", "activity_type"));`,
    );

    this.addSql(
      `create table "activity"."cra_stats_month" ("month" date not null, "conseiller_id" int not null, "structure_id" int not null, "activity_type" text not null, "reports" int not null default 0, "participants" int not null default 0, "recurring_participants" int not null default 0, "duration_minutes" int not null default 0, "followup_individual" int not null default 0, "followup_workshop" int not null default 0, "followup_redirected" int not null default 0, "channel_rattachement" int not null default 0, "channel_autre_lieu" int not null default 0, "channel_distance" int not null default 0, "channel_domicile" int not null default 0, "duration_minutes_0_30" int not null default 0, "duration_minutes_30_60" int not null default 0, "duration_minutes_60_120" int not null default 0, "duration_minutes_120_plus" int not null default 0, "age_under_12" int not null default 0, "age_from_12_to_18" int not null default 0, "age_from_18_to_35" int not null default 0, "age_from_35_to_60" int not null default 0, "age_over_60" int not null default 0, "status_etudiant" int not null default 0, "status_sans_emploi" int not null default 0, "status_en_emploi" int not null default 0, "status_retraite" int not null default 0, "status_heterogene" int not null default 0, "theme_equipement_informatique" int not null default 0, "theme_vocabulaire" int not null default 0, "theme_internet" int not null default 0, "theme_securite" int not null default 0, "theme_courriel" int not null default 0, "theme_echanger" int not null default 0, "theme_traitement_texte" int not null default 0, "theme_contenus_numeriques" int not null default 0, "theme_trouver_emploi" int not null default 0, "theme_tpe_pme" int not null default 0, "theme_accompagner_enfant" int not null default 0, "theme_demarche_en_ligne" int not null default 0, "theme_fraude_et_harcelement" int not null default 0, "theme_sante" int not null default 0, "theme_smartphone" int not null default 0, "theme_budget" int not null default 0, "theme_scolaire" int not null default 0, "theme_diagnostic" int not null default 0, "theme_autre" int not null default 0, "redirection_ants" int not null default 0, "redirection_assistante_sociale" int not null default 0, "redirection_caf" int not null default 0, "redirection_carsat" int not null default 0, "redirection_ccas" int not null default 0, "redirection_cefs" int not null default 0, "redirection_cip" int not null default 0, "redirection_cpam" int not null default 0, "redirection_dgfip" int not null default 0, "redirection_france_services" int not null default 0, "redirection_mairie" int not null default 0, "redirection_mediatheque" int not null default 0, "redirection_mission_locale" int not null default 0, "redirection_pole_emploi" int not null default 0, "redirection_prefecture" int not null default 0, "redirection_sous_prefecture" int not null default 0, "redirection_service_de_police" int not null default 0, "redirection_gendarmerie" int not null default 0, "redirection_revendeur_informatique" int not null default 0, "redirection_tiers_lieu_fablab" int not null default 0, "redirection_autre" int not null default 0, primary key ("month", "conseiller_id", "structure_id", "activity_type"));`,
    );
    this.addSql(`create index "cra_stats_month_conseiller_id_month_index" on "activity"."cra_stats_month" ("conseiller_id", "month");`);
    this.addSql(`create index "cra_stats_month_structure_id_month_index" on "activity"."cra_stats_month" ("structure_id", "month");`);

    this.addSql(
      `create table "activity"."cra_stats_territory_day" ("day" date not null, "departement_code" varchar(3) not null, "activity_type" text not null, "region_code" varchar(3) not null, "reports" int not null default 0, "participants" int not null default 0, "recurring_participants" int not null default 0, "duration_minutes" int not null default 0, "followup_individual" int not null default 0, "followup_workshop" int not null default 0, "followup_redirected" int not null default 0, "channel_rattachement" int not null default 0, "channel_autre_lieu" int not null default 0, "channel_distance" int not null default 0, "channel_domicile" int not null default 0, "duration_minutes_0_30" int not null default 0, "duration_minutes_30_60" int not null default 0, "duration_minutes_60_120" int not null default 0, "duration_minutes_120_plus" int not null default 0, "age_under_12" int not null default 0, "age_from_12_to_18" int not null default 0, "age_from_18_to_35" int not null default 0, "age_from_35_to_60" int not null default 0, "age_over_60" int not null default 0, "status_etudiant" int not null default 0, "status_sans_emploi" int not null default 0, "status_en_emploi" int not null default 0, "status_retraite" int not null default 0, "status_heterogene" int not null default 0, "theme_equipement_informatique" int not null default 0, "theme_vocabulaire" int not null default 0, "theme_internet" int not null default 0, "theme_securite" int not null default 0, "theme_courriel" int not null default 0, "theme_echanger" int not null default 0, "theme_traitement_texte" int not null default 0, "theme_contenus_numeriques" int not null default 0, "theme_trouver_emploi" int not null default 0, "theme_tpe_pme" int not null default 0, "theme_accompagner_enfant" int not null default 0, "theme_demarche_en_ligne" int not null default 0, "theme_fraude_et_harcelement" int not null default 0, "theme_sante" int not null default 0, "theme_smartphone" int not null default 0, "theme_budget" int not null default 0, "theme_scolaire" int not null default 0, "theme_diagnostic" int not null default 0, "theme_autre" int not null default 0, "redirection_ants" int not null default 0, "redirection_assistante_sociale" int not null default 0, "redirection_caf" int not null default 0, "redirection_carsat" int not null default 0, "redirection_ccas" int not null default 0, "redirection_cefs" int not null default 0, "redirection_cip" int not null default 0, "redirection_cpam" int not null default 0, "redirection_dgfip" int not null default 0, "redirection_france_services" int not null default 0, "redirection_mairie" int not null default 0, "redirection_mediatheque" int not null default 0, "redirection_mission_locale" int not null default 0, "redirection_pole_emploi" int not null default 0, "redirection_prefecture" int not null default 0, "redirection_sous_prefecture" int not null default 0, "redirection_service_de_police" int not null default 0, "redirection_gendarmerie" int not null default 0, "redirection_revendeur_informatique" int not null default 0, "redirection_tiers_lieu_fablab" int not null default 0, "redirection_autre" int not null default 0, primary key ("day", "departement_code", "activity_type"));`,
    );

    this.addSql(
      `create table "activity"."cra_stats_territory_month" ("month" date not null, "departement_code" varchar(3) not null, "activity_type" text not null, "region_code" varchar(3) not null, "reports" int not null default 0, "participants" int not null default 0, "recurring_participants" int not null default 0, "duration_minutes" int not null default 0, "followup_individual" int not null default 0, "followup_workshop" int not null default 0, "followup_redirected" int not null default 0, "channel_rattachement" int not null default 0, "channel_autre_lieu" int not null default 0, "channel_distance" int not null default 0, "channel_domicile" int not null default 0, "duration_minutes_0_30" int not null default 0, "duration_minutes_30_60" int not null default 0, "duration_minutes_60_120" int not null default 0, "duration_minutes_120_plus" int not null default 0, "age_under_12" int not null default 0, "age_from_12_to_18" int not null default 0, "age_from_18_to_35" int not null default 0, "age_from_35_to_60" int not null default 0, "age_over_60" int not null default 0, "status_etudiant" int not null default 0, "status_sans_emploi" int not null default 0, "status_en_emploi" int not null default 0, "status_retraite" int not null default 0, "status_heterogene" int not null default 0, "theme_equipement_informatique" int not null default 0, "theme_vocabulaire" int not null default 0, "theme_internet" int not null default 0, "theme_securite" int not null default 0, "theme_courriel" int not null default 0, "theme_echanger" int not null default 0, "theme_traitement_texte" int not null default 0, "theme_contenus_numeriques" int not null default 0, "theme_trouver_emploi" int not null default 0, "theme_tpe_pme" int not null default 0, "theme_accompagner_enfant" int not null default 0, "theme_demarche_en_ligne" int not null default 0, "theme_fraude_et_harcelement" int not null default 0, "theme_sante" int not null default 0, "theme_smartphone" int not null default 0, "theme_budget" int not null default 0, "theme_scolaire" int not null default 0, "theme_diagnostic" int not null default 0, "theme_autre" int not null default 0, "redirection_ants" int not null default 0, "redirection_assistante_sociale" int not null default 0, "redirection_caf" int not null default 0, "redirection_carsat" int not null default 0, "redirection_ccas" int not null default 0, "redirection_cefs" int not null default 0, "redirection_cip" int not null default 0, "redirection_cpam" int not null default 0, "redirection_dgfip" int not null default 0, "redirection_france_services" int not null default 0, "redirection_mairie" int not null default 0, "redirection_mediatheque" int not null default 0, "redirection_mission_locale" int not null default 0, "redirection_pole_emploi" int not null default 0, "redirection_prefecture" int not null default 0, "redirection_sous_prefecture" int not null default 0, "redirection_service_de_police" int not null default 0, "redirection_gendarmerie" int not null default 0, "redirection_revendeur_informatique" int not null default 0, "redirection_tiers_lieu_fablab" int not null default 0, "redirection_autre" int not null default 0, primary key ("month", "departement_code", "activity_type"));`,
    );

    this.addSql(
      `create table "activity"."place" ("id" serial primary key, "structure_id" int not null, "name" varchar(255) not null, "is_structure_site" boolean not null default false, "siret" varchar(14) null, "phone" varchar(20) null, "email" varchar(255) null, "website" varchar(255) null, "street_number" varchar(10) null, "street" varchar(255) not null, "postal_code" varchar(5) not null, "commune_code" varchar(5) not null, "commune_name" varchar(255) not null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "latitude" double precision null, "longitude" double precision null, "opening_hours" jsonb not null, "access_types" text[] not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "place_structure_id_index" on "activity"."place" ("structure_id");`);
    this.addSql(`create index "place_departement_code_index" on "activity"."place" ("departement_code");`);

    this.addSql(
      `create table "activity"."cra" ("id" serial primary key, "conseiller_id" int not null, "structure_id" int not null, "place_id" int null, "date" date not null, "activity_type" text not null, "channel" text not null, "participants" int not null, "recurring_participants" int null, "age_under_12" int not null default 0, "age_from_12_to_18" int not null default 0, "age_from_18_to_35" int not null default 0, "age_from_35_to_60" int not null default 0, "age_over_60" int not null default 0, "status_etudiant" int not null default 0, "status_sans_emploi" int not null default 0, "status_en_emploi" int not null default 0, "status_retraite" int not null default 0, "status_heterogene" int not null default 0, "themes" text[] not null, "sub_themes" text[] not null, "duration" varchar(5) not null, "duration_minutes" int not null, "duration_bucket" text not null, "followup_individual" int not null default 0, "followup_workshop" int not null default 0, "followup_redirected" int not null default 0, "redirections" jsonb not null, "redirection_other_name" varchar(100) null, "commune_code" varchar(5) not null, "postal_code" varchar(5) not null, "commune_name" varchar(255) not null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "annotation" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "cra_place_id_index" on "activity"."cra" ("place_id");`);
    this.addSql(`create index "cra_conseiller_id_date_id_index" on "activity"."cra" ("conseiller_id", "date", "id");`);
    this.addSql(`create index "cra_structure_id_date_index" on "activity"."cra" ("structure_id", "date");`);
    this.addSql(`create index "cra_commune_code_date_index" on "activity"."cra" ("commune_code", "date");`);

    this.addSql(
      `create table "activity"."place_conseiller" ("id" serial primary key, "place_id" int not null, "conseiller_id" int not null, "main_place" boolean not null default false, "itinerant" boolean not null default false);`,
    );
    this.addSql(`create index "place_conseiller_conseiller_id_index" on "activity"."place_conseiller" ("conseiller_id");`);
    this.addSql(
      `alter table "activity"."place_conseiller" add constraint "place_conseiller_place_id_conseiller_id_unique" unique ("place_id", "conseiller_id");`,
    );

    this.addSql(
      `alter table "activity"."cra_audit" add constraint "cra_audit_action_check" check ("action" in ('CREATED', 'UPDATED', 'DELETED'));`,
    );

    this.addSql(
      `alter table "activity"."cra_stats_commune_month" add constraint "cra_stats_commune_month_activity_type_check" check ("activity_type" in ('INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'));`,
    );

    this.addSql(
      `alter table "activity"."cra_stats_month" add constraint "cra_stats_month_activity_type_check" check ("activity_type" in ('INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'));`,
    );

    this.addSql(
      `alter table "activity"."cra_stats_territory_day" add constraint "cra_stats_territory_day_activity_type_check" check ("activity_type" in ('INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'));`,
    );

    this.addSql(
      `alter table "activity"."cra_stats_territory_month" add constraint "cra_stats_territory_month_activity_type_check" check ("activity_type" in ('INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'));`,
    );

    this.addSql(
      `alter table "activity"."place" add constraint "place_access_types_check" check ("access_types" <@ array['LIBRE'::text, 'RDV'::text, 'PRIVE'::text]);`,
    );

    this.addSql(
      `alter table "activity"."cra" add constraint "cra_place_id_foreign" foreign key ("place_id") references "activity"."place" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "activity"."cra" add constraint "cra_activity_type_check" check ("activity_type" in ('INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'));`,
    );
    this.addSql(
      `alter table "activity"."cra" add constraint "cra_channel_check" check ("channel" in ('RATTACHEMENT', 'AUTRE_LIEU', 'DISTANCE', 'DOMICILE'));`,
    );
    this.addSql(
      `alter table "activity"."cra" add constraint "cra_themes_check" check ("themes" <@ array['EQUIPEMENT_INFORMATIQUE'::text, 'VOCABULAIRE'::text, 'INTERNET'::text, 'SECURITE'::text, 'COURRIEL'::text, 'ECHANGER'::text, 'TRAITEMENT_TEXTE'::text, 'CONTENUS_NUMERIQUES'::text, 'TROUVER_EMPLOI'::text, 'TPE_PME'::text, 'ACCOMPAGNER_ENFANT'::text, 'DEMARCHE_EN_LIGNE'::text, 'FRAUDE_ET_HARCELEMENT'::text, 'SANTE'::text, 'SMARTPHONE'::text, 'BUDGET'::text, 'SCOLAIRE'::text, 'DIAGNOSTIC'::text, 'AUTRE'::text]);`,
    );
    this.addSql(
      `alter table "activity"."cra" add constraint "cra_sub_themes_check" check ("sub_themes" <@ array['ESPACE_SANTE'::text, 'FOURNITURE'::text, 'ORDINATEUR'::text, 'TABLETTE'::text, 'TELEPHONE'::text, 'PARENT'::text, 'SOCIAL'::text, 'ENSEIGNANT'::text]);`,
    );
    this.addSql(
      `alter table "activity"."cra" add constraint "cra_duration_bucket_check" check ("duration_bucket" in ('MINUTES_0_30', 'MINUTES_30_60', 'MINUTES_60_120', 'MINUTES_120_PLUS'));`,
    );

    this.addSql(
      `alter table "activity"."place_conseiller" add constraint "place_conseiller_place_id_foreign" foreign key ("place_id") references "activity"."place" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "activity"."cra" drop constraint "cra_place_id_foreign";`);
    this.addSql(`alter table "activity"."place_conseiller" drop constraint "place_conseiller_place_id_foreign";`);

    this.addSql(`drop table if exists "activity"."cra_advisor_activity" cascade;`);
    this.addSql(`drop table if exists "activity"."cra_audit" cascade;`);
    this.addSql(`drop table if exists "activity"."cra_stats_commune_month" cascade;`);
    this.addSql(`drop table if exists "activity"."cra_stats_month" cascade;`);
    this.addSql(`drop table if exists "activity"."cra_stats_territory_day" cascade;`);
    this.addSql(`drop table if exists "activity"."cra_stats_territory_month" cascade;`);
    this.addSql(`drop table if exists "activity"."place" cascade;`);
    this.addSql(`drop table if exists "activity"."cra" cascade;`);
    this.addSql(`drop table if exists "activity"."place_conseiller" cascade;`);

    this.addSql(`drop schema if exists "activity";`);
  }
}
