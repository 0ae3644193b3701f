import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { RecruitmentStructure, RecruitmentContract } from '../../common/events/copies.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import type { MikroORM } from '../../common/db.js';
import { openSubgraphOrm, prepareDatabases } from '../../common/server.js';
import { Convention, CreditNote, EmploymentContract, Post, Tranche } from '../../subgraphs/conventions/entities/index.js';
import { fundingTotals } from '../../subgraphs/conventions/services/funding.service.js';
import { initialSubsidyPerPostCents } from '../../subgraphs/conventions/rules/subsidy.js';
import { subgraphs } from '../../subgraphs/registry.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The demo seed on a database of its own, as the whole system seeds it: recruitment's demo seed publishes every
 * structure's final state and every contract, the events are delivered (conventions keeps its copies), then
 * conventions seeds from those copies.
 */
let database: TestDatabase;
let orm: MikroORM;
let recruitment: MikroORM;
beforeAll(async () => {
  database = await createTestDatabase('conum_conventions_seed', { migrated: true });
  recruitment = await openSubgraphOrm(subgraphs.recruitment, database.url, 2);
  orm = await openSubgraphOrm(subgraphs.conventions, database.url, 2);
  // As the system seeds: recruitment first, its events delivered to conventions' copies, then conventions.
  const prepared = await prepareDatabases(
    [
      { definition: subgraphs.recruitment, orm: recruitment },
      { definition: subgraphs.conventions, orm },
    ],
    true,
  );
  expect(prepared.map((p) => p.seeded)).toEqual([true, true]);
});
afterAll(async () => {
  await orm?.close();
  await recruitment?.close();
  await database?.drop();
});

describe('demo seed', () => {
  test('every structure recruitment validated has its phase-1 agreement, for its quota, at the published rate; no other does', async () => {
    const em = orm.em.fork();
    const copies = await em.find(RecruitmentStructure, {}, { orderBy: { structureId: 'asc' } });
    // The copies are recruitment's structures as it published them.
    expect(copies.length).toBe(
      await recruitment.em
        .fork()
        .getConnection()
        .execute('select count(*)::int as n from recruitment.structure')
        .then((r) => r[0].n),
    );
    const validated = copies.filter((s) => s.status === 'VALIDATION_COSELEC' && s.advisorPosts + s.coordinatorPosts > 0);
    expect(validated.length).toBeGreaterThan(0);
    const phase1 = await em.find(Convention, { phase: 'PHASE_1' }, { orderBy: { structureId: 'asc' } });
    expect(phase1.map((c) => c.structureId)).toEqual(validated.map((s) => s.structureId));
    for (const s of validated) {
      const convention = phase1.find((c) => c.structureId === s.structureId)!;
      expect(convention).toMatchObject({
        status: 'CONVENTIONNEMENT_VALIDE',
        sector: s.sector,
        departementCode: s.departementCode,
        regionCode: s.regionCode,
        network: s.network ?? null,
        priorityArea: s.isZrr || s.isQpv,
      });
      const posts = await em.find(Post, { convention });
      const advisorPosts = posts.filter((p) => p.typology === 'CONSEILLER');
      expect(advisorPosts).toHaveLength(s.advisorPosts);
      expect(posts.filter((p) => p.typology === 'COORDINATEUR')).toHaveLength(s.coordinatorPosts);
      // Posts used for their whole window keep the published amount; the others were cut to their months used.
      for (const post of advisorPosts.filter((p) => p.monthsUsed == null || p.monthsUsed === p.fundingMonths)) {
        expect(post.fundingCents).toBe(initialSubsidyPerPostCents(s.sector, s.departementCode, convention.durationMonths));
      }
    }
    expect(await em.count(Convention, { status: 'RECONVENTIONNEMENT_VALIDE' })).toBeGreaterThan(0);
    expect(await em.count(Convention, { status: 'NON_INTERESSE' })).toBeGreaterThan(0);
    // Renewals and refusals keep the structure's network: a grand réseau sees them too.
    const followUps = await em.find(Convention, { previousConventionId: { $ne: null } });
    expect(followUps.filter((c) => c.network).length).toBeGreaterThan(0);
    for (const c of followUps) expect(c.network ?? null).toBe(phase1.find((p) => p.id === c.previousConventionId)!.network ?? null);
  });

  test('the books balance: each agreement commits the sum of its posts, its paid tranches equal what its posts were paid, overpayments are credit notes', async () => {
    const em = orm.em.fork();
    const conventions = await em.find(Convention, {});
    const posts = await em.find(Post, {});
    const tranches = await em.find(Tranche, {});
    const creditNotes = await em.find(CreditNote, {});
    // Tranches are paid only for posts with a contract received: those follow recruitment's contract events, not this seed.
    for (const c of conventions) {
      const own = posts.filter((p) => p.convention.id === c.id);
      expect(c.amountCents).toBe(own.reduce((sum, p) => sum + p.fundingCents + p.bonusCents, 0));
      const paid = tranches.filter((t) => t.convention.id === c.id && t.paidOn).reduce((sum, t) => sum + t.amountCents, 0);
      expect(own.reduce((sum, p) => sum + p.paidCents, 0)).toBe(paid);
      // Whatever was paid beyond a post's (cut) funding is claimed back by a credit note.
      const overpaid = own.reduce((sum, p) => sum + Math.max(0, p.paidCents - p.fundingCents - p.bonusCents), 0);
      expect(creditNotes.filter((n) => n.convention.id === c.id).reduce((sum, n) => sum + n.amountCents, 0)).toBe(overpaid);
    }
  });

  test("every contract received is one of recruitment's, on a post of its structure, and every occupied post is held by one", async () => {
    const em = orm.em.fork();
    const received = await em.find(EmploymentContract, {}, { populate: ['post'] });
    const copies = new Map((await em.find(RecruitmentContract, {})).map((c) => [c.miseEnRelationId, c]));
    expect(received.length).toBeGreaterThan(0);
    for (const contract of received) {
      const copy = copies.get(contract.miseEnRelationId)!;
      expect([copy.conseillerId, copy.structureId, copy.contractType, copy.startDate]).toEqual([
        contract.conseillerId,
        contract.post.structureId,
        contract.type,
        contract.startDate,
      ]);
    }
    for (const post of await em.find(Post, { state: 'OCCUPE' })) {
      const holder = received.find(
        (c) => c.post.id === post.id && ['FINALISEE', 'NOUVELLE_RUPTURE'].includes(copies.get(c.miseEnRelationId)!.status),
      );
      expect(holder?.conseillerId).toBe(post.conseillerId);
    }
  });

  test('national totals: régions add up to the départements, which add up to the structures', async () => {
    const em = orm.em.fork();
    const conventions = await em.find(Convention, {});
    const structureIds = [...new Set(conventions.map((c) => c.structureId))];
    const departements = [...new Set(conventions.map((c) => c.departementCode))];
    const regions = [...new Set(conventions.map((c) => c.regionCode))];
    const sum = (values: Iterable<{ committedCents: number; paidCents: number; postsGranted: number; postsOccupied: number }>) => {
      const total = { committedCents: 0, paidCents: 0, postsGranted: 0, postsOccupied: 0 };
      for (const v of values) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += v[k];
      return total;
    };
    const byStructure = await fundingTotals(em, SYSTEM_ADMIN, { group: 'structure', keys: structureIds });
    const byDepartement = await fundingTotals(em, SYSTEM_ADMIN, { group: 'departement', keys: departements });
    const byRegion = await fundingTotals(em, SYSTEM_ADMIN, { group: 'region', keys: regions });
    expect(sum(byRegion.values())).toEqual(sum(byDepartement.values()));
    expect(sum(byDepartement.values())).toEqual(sum(byStructure.values()));
    expect(sum(byRegion.values()).committedCents).toBeGreaterThan(0);
  });
});
