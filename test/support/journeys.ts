import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '../../common/db.js';
import { seededRandom } from '../../common/demo/random.js';
import type { SubgraphName } from '../../common/env.js';
import { AppError } from '../../common/errors.js';
import { SYSTEM_ADMIN } from '../../common/viewer.js';
import { Conseiller, MiseEnRelation, Structure } from '../../subgraphs/recruitment/entities/index.js';
import * as mer from '../../subgraphs/recruitment/services/mise-en-relation.service.js';
import * as posts from '../../subgraphs/recruitment/services/posts.service.js';
import { recordCoselecDecision } from '../../subgraphs/recruitment/services/structure.service.js';
import { RecruitmentContract } from '../../common/events/copies.js';
import { openTrainingPath } from '../../subgraphs/training/services/training-path.service.js';
import { fileCras } from '../../subgraphs/activity/services/cra.service.js';
import { craInput } from './factories/activity.js';
import { RecruitmentStructure } from '../../common/events/copies.js';
import { Convention } from '../../subgraphs/conventions/entities/index.js';
import { moveDsFile, openConvention, signConvention } from '../../subgraphs/conventions/services/convention.service.js';
import { uniqueId } from './ids.js';

/**
 * Random journeys through the owners' real steps, as the programme's users would take them on the demo world:
 * committee decisions, post requests, transfers, recruitments validated or cancelled, ruptures, extensions. A step
 * the rules refuse (an AppError: no free post, a bad transition) is part of the journey, counted and skipped; any
 * other error fails it. What every consistency check must survive.
 */

export type Random = ReturnType<typeof seededRandom>;
export type Orms = Record<SubgraphName, MikroORM>;
export type Journey = (orms: Orms, random: Random) => Promise<unknown>;

/** A fresh EntityManager of a subgraph, for one step. */
export const fork = (orm: MikroORM) => orm.em.fork() as EntityManager;

const today = new Date().toISOString().slice(0, 10);

/** One of the first rows matching `where`, at random. */
export async function pick<T extends object>(orm: MikroORM, entity: new () => T, where: object, random: Random) {
  const em = fork(orm);
  const [key] = em.getMetadata().get(entity).primaryKeys;
  const rows = await em.find(entity as never, where as never, { limit: 50, orderBy: { [key!]: 'asc' } as never });
  return rows.length ? (random.pick(rows) as T) : undefined;
}

const validated = { status: 'VALIDATION_COSELEC' };

export const RECRUITMENT_JOURNEYS: Record<string, Journey> = {
  async committeeDecision(orms, random) {
    const structure = await pick(orms.recruitment, Structure, { status: { $in: ['CREEE', 'EXAMEN_COMPLEMENTAIRE_COSELEC'] } }, random);
    if (!structure) return;
    await recordCoselecDecision(fork(orms.recruitment), SYSTEM_ADMIN, {
      structureId: structure.id,
      opinion: 'POSITIF',
      postsGranted: random.int(1, 3),
    });
  },
  async addPosts(orms, random) {
    const structure = await pick(orms.recruitment, Structure, validated, random);
    if (!structure) return;
    const request = await posts.requestPosts(fork(orms.recruitment), SYSTEM_ADMIN, {
      structureId: structure.id,
      posts: random.int(1, 2),
      reason: 'FORTE_DEMANDE',
    });
    await posts.givePostRequestOpinion(fork(orms.recruitment), SYSTEM_ADMIN, {
      postRequestId: request.id,
      opinion: 'POSITIF',
      comment: 'Besoin confirmé',
    });
    await posts.decidePostRequest(fork(orms.recruitment), SYSTEM_ADMIN, { postRequestId: request.id, accept: random.chance(0.8) });
  },
  async giveBackPosts(orms, random) {
    const structure = await pick(orms.recruitment, Structure, { ...validated, postQuota: { $gte: 2 } }, random);
    if (!structure) return;
    const request = await posts.giveBackPosts(fork(orms.recruitment), SYSTEM_ADMIN, {
      structureId: structure.id,
      posts: 1,
      reason: 'DIFFICULTES_RECRUTEMENT',
    });
    await posts.decidePostRequest(fork(orms.recruitment), SYSTEM_ADMIN, { postRequestId: request.id, accept: true });
  },
  async transfer(orms, random) {
    const [from, to] = [
      await pick(orms.recruitment, Structure, { ...validated, postQuota: { $gte: 2 } }, random),
      await pick(orms.recruitment, Structure, validated, random),
    ];
    if (!from || !to || from.id === to.id) return;
    await posts.transferPosts(fork(orms.recruitment), SYSTEM_ADMIN, { fromStructureId: from.id, toStructureId: to.id, posts: 1 });
  },
  async recruit(orms, random) {
    const [structure, candidate] = [
      await pick(orms.recruitment, Structure, validated, random),
      await pick(orms.recruitment, Conseiller, { status: 'CANDIDAT', isAvailable: true }, random),
    ];
    if (!structure || !candidate) return;
    const match = await mer.preselectCandidate(fork(orms.recruitment), SYSTEM_ADMIN, {
      structureId: structure.id,
      conseillerId: candidate.id,
    });
    const startDate = `${random.int(2023, 2025)}-${String(random.int(1, 12)).padStart(2, '0')}-01`;
    const endDate = `${Number(startDate.slice(0, 4)) + 1}-${startDate.slice(5, 7)}-01`;
    await mer.recruitCandidate(fork(orms.recruitment), SYSTEM_ADMIN, {
      miseEnRelationId: match.id,
      contract: { type: 'CDD', startDate, endDate, grossMonthlySalaryCents: 190_000 },
    });
    if (random.chance(0.8)) await mer.validateRecruitment(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: match.id });
    else await mer.cancelRecruitment(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: match.id });
  },
  async rupture(orms, random) {
    const contract = await pick(orms.recruitment, MiseEnRelation, { status: 'FINALISEE', contractStartDate: { $lt: today } }, random);
    if (!contract) return;
    const end = contract.contractEndDate && contract.contractEndDate < today ? contract.contractEndDate : today;
    await mer.declareRupture(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: contract.id, date: end, reason: 'DEMISSION' });
    if (random.chance(0.75)) await mer.validateRupture(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: contract.id });
    else await mer.cancelRupture(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: contract.id });
  },
  async extend(orms, random) {
    const contract = await pick(
      orms.recruitment,
      MiseEnRelation,
      { status: 'FINALISEE', contractType: 'CDD', contractEndDate: { $gte: today } },
      random,
    );
    if (!contract?.contractEndDate) return;
    const requestedEndDate = `${Number(contract.contractEndDate.slice(0, 4)) + 1}${contract.contractEndDate.slice(4)}`;
    await mer.requestContractExtension(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: contract.id, requestedEndDate });
    await mer.validateContractExtension(fork(orms.recruitment), SYSTEM_ADMIN, { miseEnRelationId: contract.id });
  },
};

/**
 * The followers' steps on what their copies say: a training path for an advisor recruitment hired or is hiring,
 * activity reports within an advisor's employment. The advisor is drawn from the follower's own copy (what a
 * dashboard would offer); a copy that lags behind may see its step refused, which is the rule working.
 */
export const FOLLOWER_JOURNEYS: Record<string, Journey> = {
  async openAndSignAgreement(orms, random) {
    const structure = await pick(
      orms.conventions,
      RecruitmentStructure,
      { status: 'VALIDATION_COSELEC', advisorPosts: { $gte: 1 } },
      random,
    );
    if (!structure || (await fork(orms.conventions).count(Convention, { structureId: structure.structureId, phase: 'PHASE_1' })) > 0)
      return;
    const opened = await openConvention(fork(orms.conventions), SYSTEM_ADMIN, {
      structureId: structure.structureId,
      phase: 'PHASE_1',
      legalCategory: structure.sector === 'PUBLIC' ? 'STRUCTURE_PUBLIQUE' : 'ASSOCIATION',
      dsNumber: uniqueId(),
      dsCreatedAt: new Date('2025-11-01T09:00:00Z'),
      startDate: '2026-06-01',
      advisorPosts: random.int(1, structure.advisorPosts),
      attributionDate: '2026-05-01',
    });
    for (const state of ['en_instruction', 'accepte'] as const)
      await moveDsFile(fork(orms.conventions), SYSTEM_ADMIN, { conventionId: opened.id, state, at: new Date('2026-05-15T09:00:00Z') });
    await signConvention(fork(orms.conventions), SYSTEM_ADMIN, { conventionId: opened.id, signedOn: '2026-06-01' });
  },
  async openTrainingPath(orms, random) {
    const hired = await pick(orms.training, RecruitmentContract, { status: { $in: ['RECRUTEE', 'FINALISEE'] } }, random);
    if (!hired) return;
    await openTrainingPath(fork(orms.training), SYSTEM_ADMIN, { conseillerId: hired.conseillerId, hours: 70, plannedStartDate: today });
  },
  async fileReport(orms, random) {
    const employed = await pick(orms.activity, RecruitmentContract, { employedFrom: { $ne: null, $lte: today } }, random);
    if (!employed?.employedFrom) return;
    const date = employed.employedUntil && employed.employedUntil < today ? employed.employedUntil : employed.employedFrom;
    await fileCras(fork(orms.activity), SYSTEM_ADMIN, { cras: [craInput({ conseillerId: employed.conseillerId, date })] });
  },
};

/** Runs `count` journeys drawn from `journeys` with a fixed seed; how many ran through and how many the rules refused. */
export async function runJourneys(
  orms: Orms,
  journeys: Record<string, Journey>,
  { count, seed = 14, between }: { count: number; seed?: number; between?: () => Promise<unknown> },
): Promise<{ completed: number; refused: number }> {
  const random = seededRandom(seed);
  const names = Object.keys(journeys);
  let [completed, refused] = [0, 0];
  for (let i = 0; i < count; i++) {
    try {
      await journeys[random.pick(names)]!(orms, random);
      completed++;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused++;
    }
    if (between && random.chance(0.2)) await between();
  }
  return { completed, refused };
}
