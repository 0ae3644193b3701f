import type { EntityManager } from '@mikro-orm/postgresql';
import { RecruitmentContract, RecruitmentStructure } from '../../../common/events/copies.js';
import { BadUserInputError, ConflictError } from '../../../common/errors.js';
import { placementOn } from '../rules/hiring.js';

/** The employer and territory stamped on a learner when the advisor enters training, from training's copies. */
export interface Employer {
  structureId: number;
  departementCode: string;
  regionCode: string;
}

/**
 * The employer of an advisor who is hired or being hired on `day` (rules/hiring.ts), read from training's copies of
 * recruitment's contracts and structures (two statements), for a step that `action`s only for them: BAD_USER_INPUT
 * on `conseillerId` otherwise (a mere candidate, a person recruitment never announced, a contract cancelled or
 * ended before `day`). Nothing about the employer is typed in: recruitment entered it once.
 */
export async function employerOn(tx: EntityManager, conseillerId: number, day: string, action: string): Promise<Employer> {
  const contracts = await tx.find(RecruitmentContract, { conseillerId });
  const placement = placementOn(contracts, day);
  if (!placement) {
    const why = contracts.length
      ? `none of advisor ${conseillerId}'s contracts is being signed or employs them on ${day}`
      : `recruitment has announced no contract for advisor ${conseillerId} (a candidate, or nobody)`;
    throw new BadUserInputError(`Training ${action} only for an advisor hired or being hired: ${why}.`, 'conseillerId');
  }
  const structure = await tx.findOne(RecruitmentStructure, placement.structureId);
  if (!structure) {
    // Recruitment announces a structure before any of its contracts: its event is still on its way.
    throw new ConflictError(
      `Structure ${placement.structureId}, advisor ${conseillerId}'s employer, is not known to training yet; try again.`,
      {
        field: 'conseillerId',
      },
    );
  }
  return { structureId: structure.structureId, departementCode: structure.departementCode, regionCode: structure.regionCode };
}
