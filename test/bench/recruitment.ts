/**
 * Recruitment lists at national scale: 3,000 structures, 40,000 candidates, 400,000 mises en relation (the order of
 * magnitude of docs/domain.md §6) in a throwaway database on DATABASE_URL, then each dashboard query ten times.
 * Run: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres LOG_LEVEL=warn npx tsx test/bench/recruitment.ts
 * Prints statements per operation and p50 / max latency, for an administrator (no row filter), a prefecture of the
 * 13 and the structure 12, in the 13 (the row filters in the same statements).
 */
import { ApolloServer } from '@apollo/server';
import { migrate, statementCounter } from '../../common/db.js';
import { loadEnv } from '../../common/env.js';
import { formatError } from '../../common/errors.js';
import { buildSchema, createContext, openSubgraphOrm } from '../../common/server.js';
import { SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase } from '../support/database.js';
loadEnv(process.env, { DATABASE_URL: 'for this benchmark: a throwaway database is created on that server' });
const db = await createTestDatabase('conum_recruitment_bench');
const def = subgraphs.recruitment;
const orm = await openSubgraphOrm(def, db.url, 4);
await migrate(orm);
const c = orm.em.getConnection();
const started = Date.now();
await c.execute(`insert into recruitment.structure (id, name, siret, type, status, commune_code, departement_code, region_code, latitude, longitude, post_quota, created_at, updated_at, qpv_status)
  select i, 'Structure ' || i, null, (array['COMMUNE','PRIVATE','EPCI'])[1 + i % 3], (array['VALIDATION_COSELEC','VALIDATION_COSELEC','CREEE','REFUS_COSELEC'])[1 + i % 4],
         '13055', lpad(((i % 95) + 1)::text, 2, '0'), '93', 43 + (i % 100) / 50.0, 5 + (i % 70) / 30.0, 1 + i % 3, now() - (i || ' hours')::interval, now(), 'NON'
  from generate_series(1, 3000) i`);
await c.execute(`insert into recruitment.conseiller (id, first_name, last_name, status, commune_code, departement_code, region_code, latitude, longitude, max_distance_km, is_available, created_at, updated_at)
  select i, 'Prénom', 'Nom' || i, 'CANDIDAT', '13055', lpad(((i % 95) + 1)::text, 2, '0'), '93', 43 + (i % 97) / 50.0, 5 + (i % 71) / 30.0, (array[5,10,15,20,40,100,2000])[1 + i % 7], i % 8 <> 0, now() - (i || ' minutes')::interval, now()
  from generate_series(1, 40000) i`);
await c.execute(`insert into recruitment.mise_en_relation (structure_id, conseiller_id, status, created_at, updated_at)
  select 1 + (i::bigint * 7919) % 3000, 1 + i % 40000, (array['NOUVELLE','NOUVELLE','NOUVELLE','INTERESSEE','NON_INTERESSEE','FINALISEE_NON_DISPONIBLE'])[1 + i % 6], now(), now() - (i || ' seconds')::interval
  from generate_series(1, 400000) i`);
await c.execute('analyze');
console.log('loaded in', Date.now() - started, 'ms');
const server = new ApolloServer({ schema: buildSchema(def), formatError });
await server.start();
const VIEWERS: Record<string, Viewer> = {
  admin: SYSTEM_ADMIN,
  'prefet 13': { ...SYSTEM_ADMIN, role: 'prefet', id: 'p', territory: { departements: ['13'], regions: [] } },
  'structure 12': { ...SYSTEM_ADMIN, role: 'structure', id: 's', structureIds: [12] },
};
let viewer: Viewer = SYSTEM_ADMIN;
const exec = async (query: string) => {
  const r = await server.executeOperation({ query }, { contextValue: createContext(def, orm, viewer) });
  if (r.body.kind !== 'single' || r.body.singleResult.errors) throw new Error(JSON.stringify(r.body));
};
const Q = {
  structuresByDept: `{ structures(first: 50, filter: { departementCode: "13", status: [VALIDATION_COSELEC] }, orderBy: { field: NAME }) { totalCount edges { node { id occupiedPosts } } } }`,
  structureTabs: `{ structureStatusCounts(filter: { regionCode: "93" }) { status count } }`,
  candidatesSearch: `{ conseillers(first: 50, filter: { isAvailable: true, search: "nom12" }) { totalCount edges { node { id } } } }`,
  merByStructure: `{ misesEnRelation(first: 50, filter: { structureId: "12", status: [NOUVELLE] }) { totalCount edges { node { id conseiller { lastName } } } } }`,
  merRecentDept: `{ misesEnRelation(first: 50, filter: { departementCode: "13" }, orderBy: { field: UPDATED_AT, direction: DESC }) { totalCount edges { node { id } } } }`,
  merTabsNational: `{ miseEnRelationStatusCounts { status count } }`,
  merTabsStructure: `{ miseEnRelationStatusCounts(filter: { structureId: "12" }) { status count } }`,
  nearest: `{ nearestCandidates(structureId: "12", first: 50) { totalCount edges { distanceKm } } }`,
};
for (const [who, v] of Object.entries(VIEWERS)) {
  viewer = v;
  for (const [name, q] of Object.entries(Q)) {
    await exec(q);
    const times: number[] = [];
    const counter = statementCounter(orm);
    const before = counter.statements;
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await exec(q);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(
      who.padEnd(13),
      name.padEnd(18),
      'stmts',
      (counter.statements - before) / 10,
      'p50',
      times[5]!.toFixed(1),
      'ms max',
      times[9]!.toFixed(1),
      'ms',
    );
  }
}
await server.stop();
await orm.close();
await db.drop();
