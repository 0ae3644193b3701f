import type { MikroORM } from '../../../common/db.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import type { Convention } from '../../../subgraphs/conventions/entities/index.js';
import {
  moveDsFile,
  openConvention,
  signConvention,
  type OpenConventionInput,
} from '../../../subgraphs/conventions/services/convention.service.js';
import { uniqueId } from '../ids.js';

export type ConventionData = Partial<Omit<OpenConventionInput, 'structureId'>> & {
  structureId: number;
  /** Signature day; default the start date. */
  signedOn?: string;
  /**
   * The amount the caller expects the rules to commit: checked, not forced, so a test cannot build an agreement
   * the programme would not fund.
   */
  amountCents?: number;
};

/**
 * Opens an agreement through the service (status CONVENTIONNEMENT_EN_COURS, DS file en_construction). Defaults:
 * a private association in Marseille, one advisor post, 18 months from 2022-01-01 (32,000 €).
 */
export async function openTestConvention(orm: MikroORM, data: ConventionData): Promise<Convention> {
  const { structureId, signedOn: _signedOn, amountCents: _amount, ...rest } = data;
  return openConvention(orm.em.fork(), SYSTEM_ADMIN, {
    phase: 'PHASE_1',
    sector: 'PRIVATE',
    legalCategory: rest.sector === 'PUBLIC' ? 'STRUCTURE_PUBLIQUE' : 'ASSOCIATION',
    departementCode: '13',
    regionCode: '93',
    dsNumber: uniqueId(),
    dsCreatedAt: new Date('2021-10-01T08:00:00Z'),
    startDate: '2022-01-01',
    advisorPosts: 1,
    attributionDate: '2021-12-01',
    ...rest,
    structureId,
  });
}

/** A signed agreement: opened, its DS file instructed and accepted, then signed. */
export async function createConvention(orm: MikroORM, data: ConventionData): Promise<Convention> {
  const opened = await openTestConvention(orm, data);
  await moveDsFile(orm.em.fork(), SYSTEM_ADMIN, { conventionId: opened.id, state: 'en_instruction', at: new Date('2021-12-10T10:00:00Z') });
  await moveDsFile(orm.em.fork(), SYSTEM_ADMIN, { conventionId: opened.id, state: 'accepte', at: new Date('2021-12-20T10:00:00Z') });
  const signed = await signConvention(orm.em.fork(), SYSTEM_ADMIN, {
    conventionId: opened.id,
    signedOn: data.signedOn ?? opened.startDate,
  });
  if (data.amountCents !== undefined && signed.amountCents !== data.amountCents) {
    throw new Error(`The rules commit ${signed.amountCents} cents for this agreement, not ${data.amountCents}.`);
  }
  return signed;
}
