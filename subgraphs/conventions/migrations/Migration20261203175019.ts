import { Migration } from '@mikro-orm/migrations';

export class Migration20261203175019 extends Migration {
  override name = 'Migration20261203175019';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "conventions"."post_transfer" ("id" serial primary key, "transfer_id" int not null, "from_structure_id" int not null, "to_structure_id" int not null, "posts" int not null, "on" date not null, "from_convention_id" int null, "to_convention_id" int null, "posts_given_back" int not null, "posts_funded" int not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "conventions"."post_transfer" add constraint "post_transfer_transfer_id_unique" unique ("transfer_id");`);
    this.addSql(`create index "post_transfer_from_structure_id_index" on "conventions"."post_transfer" ("from_structure_id");`);
    this.addSql(`create index "post_transfer_to_structure_id_index" on "conventions"."post_transfer" ("to_structure_id");`);

    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_convention_id_foreign";`);

    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_reason_check";`);
    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_status_check";`);
    // Amendments are recruitment's decided post requests now: a pending one entered here is recruitment's to decide.
    this.addSql(`delete from "conventions"."amendment" where "status" = 'EN_COURS';`);
    // Recruitment's reason keys.
    this.addSql(
      `update "conventions"."amendment" set "reason" = case "reason" when 'CAPACITES_FINANCIERES_INSUFFISANTES' then 'CAPACITES_FINANCIERES' when 'FORTE_DEMANDE_TERRITOIRE' then 'FORTE_DEMANDE' else "reason" end;`,
    );
    this.addSql(
      `alter table "conventions"."amendment" drop column "prefect_comment", drop column "prefect_opinion_on", drop column "transfer_from_structure_id";`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add "post_request_id" int null, add "structure_id" int null, add "phase" text null, add "applied" boolean not null default false;`,
    );
    this.addSql(
      `update "conventions"."amendment" a set "structure_id" = c."structure_id", "phase" = c."phase", "applied" = a."status" = 'VALIDEE' from "conventions"."convention" c where c."id" = a."convention_id";`,
    );
    this.addSql(`alter table "conventions"."amendment" alter column "structure_id" set not null, alter column "phase" set not null;`);
    this.addSql(`alter table "conventions"."amendment" alter column "convention_id" drop not null;`);
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_convention_id_foreign" foreign key ("convention_id") references "conventions"."convention" ("id") on delete set null;`,
    );
    this.addSql(`alter table "conventions"."amendment" add constraint "amendment_post_request_id_unique" unique ("post_request_id");`);
    this.addSql(`create index "amendment_structure_id_index" on "conventions"."amendment" ("structure_id");`);
    this.addSql(`alter table "conventions"."amendment" add constraint "amendment_phase_check" check ("phase" in ('PHASE_1', 'PHASE_2'));`);
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_reason_check" check ("reason" in ('BESOIN_NON_JUSTIFIE', 'DIFFICULTES_RECRUTEMENT', 'CAPACITES_FINANCIERES', 'MANQUE_DE_VISIBILITE', 'FIN_DE_SUBVENTIONNEMENT', 'RENFORCER_EQUIPE', 'DEVELOPPER_OFFRE', 'FORTE_DEMANDE', 'AUTRE'));`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_status_check" check ("status" in ('VALIDEE', 'REFUSEE'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "conventions"."post_transfer" cascade;`);

    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_convention_id_foreign";`);

    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_post_request_id_unique";`);
    this.addSql(`drop index "conventions"."amendment_structure_id_index";`);
    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_phase_check";`);
    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_status_check";`);
    this.addSql(`alter table "conventions"."amendment" drop constraint "amendment_reason_check";`);
    this.addSql(`delete from "conventions"."amendment" where "convention_id" is null;`);
    this.addSql(
      `update "conventions"."amendment" set "reason" = case "reason" when 'CAPACITES_FINANCIERES' then 'CAPACITES_FINANCIERES_INSUFFISANTES' when 'FORTE_DEMANDE' then 'FORTE_DEMANDE_TERRITOIRE' else "reason" end;`,
    );
    this.addSql(
      `alter table "conventions"."amendment" drop column "post_request_id", drop column "structure_id", drop column "phase", drop column "applied";`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add "prefect_comment" text null, add "prefect_opinion_on" date null, add "transfer_from_structure_id" int null;`,
    );
    this.addSql(`alter table "conventions"."amendment" alter column "convention_id" set not null;`);
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_convention_id_foreign" foreign key ("convention_id") references "conventions"."convention" ("id") on update no action on delete no action;`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_status_check" check ("status" in ('EN_COURS', 'VALIDEE', 'REFUSEE'));`,
    );
    this.addSql(
      `alter table "conventions"."amendment" add constraint "amendment_reason_check" check ("reason" in ('BESOIN_NON_JUSTIFIE', 'DIFFICULTES_RECRUTEMENT', 'CAPACITES_FINANCIERES_INSUFFISANTES', 'MANQUE_DE_VISIBILITE', 'FIN_DE_SUBVENTIONNEMENT', 'RENFORCER_EQUIPE', 'DEVELOPPER_OFFRE', 'FORTE_DEMANDE_TERRITOIRE', 'AUTRE'));`,
    );
  }
}
