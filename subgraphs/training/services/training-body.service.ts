import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError } from '../../../common/errors.js';
import { luhnValid } from '../../../common/luhn.js';
import type { Viewer } from '../../../common/viewer.js';
import { ContractLot, TrainingBody } from '../entities/index.js';
import { ADMINS_ONLY, step } from './access.js';
import type { TrainingContract } from '../rules/training.js';
import { cleanText } from '../rules/validation.js';

/** The bodies holding contract lots: a short reference list (a few dozen rows), returned whole. */
export function listTrainingBodies(em: EntityManager): Promise<TrainingBody[]> {
  return em.find(TrainingBody, {}, { orderBy: { name: 'asc' } });
}

export function createTrainingBody(
  em: EntityManager,
  viewer: Viewer,
  input: { name: string; siret?: string | null },
): Promise<TrainingBody> {
  const check = () => {
    const name = cleanText(input.name, 'name', { max: 255, required: true })!;
    const siret = input.siret ? input.siret.replace(/\s/g, '') : null;
    if (siret !== null && (!/^\d{14}$/.test(siret) || !luhnValid(siret))) {
      throw new BadUserInputError('A SIRET has 14 digits and a valid check digit (Luhn).', 'siret');
    }
    return { name, siret };
  };
  return step(em, viewer, 'createTrainingBody', { check }, async ({ tx, unscoped }, { name, siret }) => {
    unscoped(ADMINS_ONLY);
    if (await tx.count(TrainingBody, { name })) throw new ConflictError(`A training body is already named "${name}".`, { field: 'name' });
    return tx.create(TrainingBody, { name, siret });
  });
}

export interface CreateLotInput {
  holderId: number;
  contract: TrainingContract;
  contractNumber: string;
  lotNumber: number;
  label: string;
  startDate: string;
  endDate: string;
}

export function createContractLot(em: EntityManager, viewer: Viewer, input: CreateLotInput): Promise<ContractLot> {
  const check = () => {
    const contractNumber = input.contractNumber.trim();
    if (contractNumber.length !== 8) throw new BadUserInputError('A contract reference has 8 characters.', 'contractNumber');
    if (!Number.isInteger(input.lotNumber) || input.lotNumber < 1 || input.lotNumber > 99)
      throw new BadUserInputError('Lot numbers run from 1 to 99.', 'lotNumber');
    const label = cleanText(input.label, 'label', { max: 255, required: true })!;
    if (input.endDate < input.startDate) throw new BadUserInputError('The lot cannot end before it starts.', 'endDate');
    return { contractNumber, label };
  };
  return step(em, viewer, 'createContractLot', { check }, async ({ tx, unscoped }, { contractNumber, label }) => {
    unscoped(ADMINS_ONLY);
    const { holderId } = input;
    const [holder, taken] = await Promise.all([
      tx.findOne(TrainingBody, holderId),
      tx.count(ContractLot, { contractNumber, lotNumber: input.lotNumber }),
    ]);
    if (!holder) throw new NotFoundError('TrainingBody', holderId);
    if (taken) throw new ConflictError(`Contract ${contractNumber} already has a lot ${input.lotNumber}.`, { field: 'lotNumber' });
    return tx.create(ContractLot, {
      holder,
      contract: input.contract,
      contractNumber,
      lotNumber: input.lotNumber,
      label,
      startDate: input.startDate,
      endDate: input.endDate,
    });
  });
}
