import { Migration } from '@mikro-orm/migrations';

export class Migration20261123094019 extends Migration {
  override name = 'Migration20261123094019';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "training";`);
    this.addSql(
      `create table "training"."certification_attempt" ("id" serial primary key, "conseiller_id" int not null, "type" text not null, "attempt" smallint not null, "date" date not null, "result" text not null, "pix_skill_levels" text[] null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "certification_attempt_conseiller_id_index" on "training"."certification_attempt" ("conseiller_id");`);
    this.addSql(
      `alter table "training"."certification_attempt" add constraint "certification_attempt_conseiller_id_type_attempt_unique" unique ("conseiller_id", "type", "attempt");`,
    );

    this.addSql(
      `create table "training"."learner" ("conseiller_id" int not null, "structure_id" int not null, "departement_code" varchar(3) not null, "region_code" varchar(3) not null, "entry_date" date not null, "exemption_reason" text null, "exempted_on" date null, "exemption_comment" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("conseiller_id"));`,
    );
    this.addSql(`create index "learner_structure_id_index" on "training"."learner" ("structure_id");`);
    this.addSql(`create index "learner_departement_code_index" on "training"."learner" ("departement_code");`);
    this.addSql(`create index "learner_region_code_index" on "training"."learner" ("region_code");`);

    this.addSql(
      `create table "training"."thematic_module" ("id" serial primary key, "code" varchar(16) not null, "title" varchar(255) not null, "hours" int not null, "offered_from" smallint not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "training"."thematic_module" add constraint "thematic_module_code_unique" unique ("code");`);

    this.addSql(
      `create table "training"."module_registration" ("id" serial primary key, "conseiller_id" int not null, "module_id" int not null, "date" date not null, "status" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "module_registration_conseiller_id_index" on "training"."module_registration" ("conseiller_id");`);
    this.addSql(`create index "module_registration_module_id_index" on "training"."module_registration" ("module_id");`);
    this.addSql(
      `alter table "training"."module_registration" add constraint "module_registration_conseiller_id_module_id_date_unique" unique ("conseiller_id", "module_id", "date");`,
    );

    this.addSql(
      `create table "training"."training_body" ("id" serial primary key, "name" varchar(255) not null, "siret" varchar(14) null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "training"."training_body" add constraint "training_body_name_unique" unique ("name");`);

    this.addSql(
      `create table "training"."contract_lot" ("id" serial primary key, "contract" text not null, "contract_number" varchar(8) not null, "lot_number" smallint not null, "label" varchar(255) not null, "holder_id" int not null, "start_date" date not null, "end_date" date not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "contract_lot_holder_id_index" on "training"."contract_lot" ("holder_id");`);
    this.addSql(
      `alter table "training"."contract_lot" add constraint "contract_lot_contract_number_lot_number_unique" unique ("contract_number", "lot_number");`,
    );

    this.addSql(
      `create table "training"."training_session" ("id" serial primary key, "lot_id" int not null, "place" varchar(255) not null, "departement_code" varchar(3) not null, "start_date" date not null, "end_date" date not null, "hours" int not null, "rhythm" text not null, "planned_modality" text not null, "modality" text not null, "capacity" int not null, "status" text not null, "confirmed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "training_session_lot_id_index" on "training"."training_session" ("lot_id");`);
    this.addSql(`create index "training_session_departement_code_index" on "training"."training_session" ("departement_code");`);
    this.addSql(`create index "training_session_start_date_index" on "training"."training_session" ("start_date");`);

    this.addSql(
      `create table "training"."formation" ("id" serial primary key, "conseiller_id" int not null, "hours" int not null, "status" text not null, "rhythm" text null, "modality" text null, "start_date" date not null, "end_date" date not null, "session_id" int null, "enrolled_at" timestamptz null, "abandoned_on" date null, "abandon_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "formation_conseiller_id_index" on "training"."formation" ("conseiller_id");`);
    this.addSql(`create index "formation_session_id_index" on "training"."formation" ("session_id");`);

    this.addSql(
      `create table "training"."absence" ("id" serial primary key, "formation_id" int not null, "date" date not null, "hours" int not null, "justification" text null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "absence_formation_id_index" on "training"."absence" ("formation_id");`);
    this.addSql(`alter table "training"."absence" add constraint "absence_formation_id_date_unique" unique ("formation_id", "date");`);

    this.addSql(
      `alter table "training"."certification_attempt" add constraint "certification_attempt_type_check" check ("type" in ('CCP1', 'CCP2', 'CCP3', 'REMN', 'PIX'));`,
    );
    this.addSql(
      `alter table "training"."certification_attempt" add constraint "certification_attempt_result_check" check ("result" in ('PASSED', 'FAILED'));`,
    );

    this.addSql(
      `alter table "training"."learner" add constraint "learner_exemption_reason_check" check ("exemption_reason" in ('CCP1_HOLDER', 'REMN_HOLDER', 'CATIC', 'USETIC'));`,
    );

    this.addSql(
      `alter table "training"."module_registration" add constraint "module_registration_module_id_foreign" foreign key ("module_id") references "training"."thematic_module" ("id");`,
    );
    this.addSql(
      `alter table "training"."module_registration" add constraint "module_registration_status_check" check ("status" in ('REGISTERED', 'ATTENDED', 'ABSENT'));`,
    );

    this.addSql(
      `alter table "training"."contract_lot" add constraint "contract_lot_holder_id_foreign" foreign key ("holder_id") references "training"."training_body" ("id");`,
    );
    this.addSql(
      `alter table "training"."contract_lot" add constraint "contract_lot_contract_check" check ("contract" in ('CONTRACT_2021', 'CONTRACT_2024'));`,
    );

    this.addSql(
      `alter table "training"."training_session" add constraint "training_session_lot_id_foreign" foreign key ("lot_id") references "training"."contract_lot" ("id");`,
    );
    this.addSql(
      `alter table "training"."training_session" add constraint "training_session_rhythm_check" check ("rhythm" in ('ALTERNATING', 'CONTINUOUS'));`,
    );
    this.addSql(
      `alter table "training"."training_session" add constraint "training_session_planned_modality_check" check ("planned_modality" in ('IN_PERSON', 'REMOTE'));`,
    );
    this.addSql(
      `alter table "training"."training_session" add constraint "training_session_modality_check" check ("modality" in ('IN_PERSON', 'REMOTE'));`,
    );
    this.addSql(
      `alter table "training"."training_session" add constraint "training_session_status_check" check ("status" in ('PLANNED', 'CONFIRMED'));`,
    );

    this.addSql(
      `alter table "training"."formation" add constraint "formation_session_id_foreign" foreign key ("session_id") references "training"."training_session" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "training"."formation" add constraint "formation_status_check" check ("status" in ('TO_ENROL', 'ENROLLED', 'IN_PROGRESS', 'COMPLETED', 'ABANDONED'));`,
    );
    this.addSql(
      `alter table "training"."formation" add constraint "formation_rhythm_check" check ("rhythm" in ('ALTERNATING', 'CONTINUOUS'));`,
    );
    this.addSql(
      `alter table "training"."formation" add constraint "formation_modality_check" check ("modality" in ('IN_PERSON', 'REMOTE'));`,
    );

    this.addSql(
      `alter table "training"."absence" add constraint "absence_formation_id_foreign" foreign key ("formation_id") references "training"."formation" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "training"."module_registration" drop constraint "module_registration_module_id_foreign";`);
    this.addSql(`alter table "training"."contract_lot" drop constraint "contract_lot_holder_id_foreign";`);
    this.addSql(`alter table "training"."training_session" drop constraint "training_session_lot_id_foreign";`);
    this.addSql(`alter table "training"."formation" drop constraint "formation_session_id_foreign";`);
    this.addSql(`alter table "training"."absence" drop constraint "absence_formation_id_foreign";`);

    this.addSql(`drop table if exists "training"."certification_attempt" cascade;`);
    this.addSql(`drop table if exists "training"."learner" cascade;`);
    this.addSql(`drop table if exists "training"."thematic_module" cascade;`);
    this.addSql(`drop table if exists "training"."module_registration" cascade;`);
    this.addSql(`drop table if exists "training"."training_body" cascade;`);
    this.addSql(`drop table if exists "training"."contract_lot" cascade;`);
    this.addSql(`drop table if exists "training"."training_session" cascade;`);
    this.addSql(`drop table if exists "training"."formation" cascade;`);
    this.addSql(`drop table if exists "training"."absence" cascade;`);

    this.addSql(`drop schema if exists "training";`);
  }
}
