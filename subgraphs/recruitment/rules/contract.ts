import { BadUserInputError } from '../../../common/errors.js';
import type { MiseEnRelation } from '../entities/index.js';
import type { ContractType } from '../entities/vocabulary.js';
import { smicCentsOn } from './smic.js';
import { requireDate } from './validation.js';

export interface ContractInput {
  type: ContractType;
  startDate: string;
  endDate?: string | null;
  grossMonthlySalaryCents: number;
}

/** Contract rules: dates coherent with the type (no end for a CDI), salary at least the SMIC on the start date. */
export function validateContract(input: ContractInput, field = 'contract'): Required<ContractInput> {
  const startDate = requireDate(input.startDate, `${field}.startDate`);
  let endDate: string | null = null;
  if (input.type === 'CDI') {
    if (input.endDate) throw new BadUserInputError('A CDI has no end date.', `${field}.endDate`);
  } else {
    if (!input.endDate) throw new BadUserInputError(`A ${input.type} needs an end date.`, `${field}.endDate`);
    endDate = requireDate(input.endDate, `${field}.endDate`);
    if (endDate <= startDate) throw new BadUserInputError('The end date must be after the start date.', `${field}.endDate`);
  }
  const smic = smicCentsOn(startDate);
  if (!Number.isSafeInteger(input.grossMonthlySalaryCents) || input.grossMonthlySalaryCents < smic) {
    throw new BadUserInputError(
      `The gross monthly salary must be at least the SMIC in force on ${startDate} (${smic} cents).`,
      `${field}.grossMonthlySalaryCents`,
      { smicCents: smic },
    );
  }
  return { type: input.type, startDate, endDate, grossMonthlySalaryCents: input.grossMonthlySalaryCents };
}

/** Writes a validated contract on its mise en relation. */
export function setContract(mer: MiseEnRelation, contract: Required<ContractInput>): void {
  mer.contractType = contract.type;
  mer.contractStartDate = contract.startDate;
  mer.contractEndDate = contract.endDate;
  mer.grossMonthlySalaryCents = contract.grossMonthlySalaryCents;
}
