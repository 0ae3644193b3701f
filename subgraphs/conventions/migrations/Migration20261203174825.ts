import { Migration } from '@mikro-orm/migrations';

export class Migration20261203174825 extends Migration {
  override name = 'Migration20261203174825';

  override up(): void | Promise<void> {
    // Contracts keyed in by hand are not recruitment's: dropped, their posts freed. The contracts-received consumer
    // and the steps that fund posts derive them again from the copy of recruitment's contracts.
    this.addSql(
      `update "conventions"."post" p set "state" = 'VACANT', "conseiller_id" = null where p."state" = 'OCCUPE' and exists (select 1 from "conventions"."employment_contract" c where c."post_id" = p."id");`,
    );
    this.addSql(`delete from "conventions"."employment_contract";`);
    this.addSql(
      `alter table "conventions"."employment_contract" add "mise_en_relation_id" int not null, add "updated_at" timestamptz not null;`,
    );
    this.addSql(
      `alter table "conventions"."employment_contract" add constraint "employment_contract_mise_en_relation_id_unique" unique ("mise_en_relation_id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "conventions"."employment_contract" drop constraint "employment_contract_mise_en_relation_id_unique";`);
    this.addSql(`alter table "conventions"."employment_contract" drop column "mise_en_relation_id", drop column "updated_at";`);
  }
}
