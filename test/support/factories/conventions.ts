import { addDays, addMonths, type IsoDate } from '../../../common/calendar.js';
import type { MikroORM } from '../../../common/db.js';
import {
  contractSigned,
  ruptureValidated,
  type ContractEvent,
  type ContractState,
  structureDecided,
  type StructureState,
} from '../../../common/events/catalogue.js';
import type { ContractType } from '../../../common/programme.js';
import { SYSTEM_ADMIN } from '../../../common/viewer.js';
import { EmploymentContract, type Convention } from '../../../subgraphs/conventions/entities/index.js';
import {
  moveDsFile,
  openConvention,
  signConvention,
  type OpenConventionInput,
} from '../../../subgraphs/conventions/services/convention.service.js';
import { contractState, feed, structureState } from '../events.js';
import { uniqueId } from '../ids.js';

/** What a test says of the structure: recruitment's facts, fed to conventions' copy of it. */
export interface StructureFacts {
  sector?: StructureState['sector'];
  departementCode?: string;
  regionCode?: string;
  network?: StructureState['network'];
  /** In a QPV (or a ZRR): the renewal bonification. */
  priorityArea?: boolean;
}

export type ConventionData = Partial<Omit<OpenConventionInput, 'structureId'>> &
  StructureFacts & {
    structureId: number;
    /**
     * The structure's copy fed before opening (structure-decided): validated, with a quota covering the posts asked,
     * unless overridden here; false when the test fed it already.
     */
    structure?: Partial<StructureState> | false;
    /** Signature day; default the start date. */
    signedOn?: string;
    /**
     * The amount the caller expects the rules to commit: checked, not forced, so a test cannot build an agreement
     * the programme would not fund.
     */
    amountCents?: number;
  };

/**
 * Feeds conventions recruitment's `structure-decided` for a structure (a validated one in Marseille, one advisor post,
 * unless told otherwise): what an opening reads.
 */
export async function feedStructure(
  orm: MikroORM,
  structureId: number,
  facts: StructureFacts & Partial<StructureState> = {},
): Promise<StructureState> {
  const { priorityArea, sector, ...rest } = facts;
  const state = structureState({
    structureId,
    ...(sector ? { sector, type: sector === 'PRIVATE' ? 'PRIVATE' : 'COMMUNE' } : {}),
    ...(priorityArea !== undefined ? { isQpv: priorityArea } : {}),
    ...rest,
  });
  await feed(orm, 'conventions', structureDecided, structureId, state);
  return state;
}

/**
 * Opens an agreement through the service (status CONVENTIONNEMENT_EN_COURS, DS file en_construction), after feeding
 * the structure's copy. Defaults: a private association in Marseille, one advisor post, 18 months from 2022-01-01
 * (32,000 €).
 */
export async function openTestConvention(orm: MikroORM, data: ConventionData): Promise<Convention> {
  const {
    structureId,
    signedOn: _signedOn,
    amountCents: _amount,
    structure,
    sector = 'PRIVATE',
    departementCode = '13',
    regionCode = '93',
    network = null,
    priorityArea = false,
    ...input
  } = data;
  const advisorPosts = input.advisorPosts ?? 1;
  if (structure !== false) {
    await feedStructure(orm, structureId, {
      sector,
      departementCode,
      regionCode,
      network,
      priorityArea,
      advisorPosts,
      coordinatorPosts: input.coordinatorPosts?.length ?? 0,
      ...structure,
    });
  }
  return openConvention(orm.em.fork(), SYSTEM_ADMIN, {
    phase: 'PHASE_1',
    legalCategory: sector === 'PUBLIC' ? 'STRUCTURE_PUBLIQUE' : 'ASSOCIATION',
    dsNumber: uniqueId(),
    dsCreatedAt: new Date('2021-10-01T08:00:00Z'),
    startDate: '2022-01-01',
    attributionDate: '2021-12-01',
    ...input,
    advisorPosts,
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

export type EmploymentData = Partial<Omit<ContractState, 'contract'>> & {
  structureId: number;
  type?: ContractType;
  /** Default 2022-01-03. */
  startDate?: IsoDate;
  /** Default a year later for a fixed-term contract, none for a CDI. */
  endDate?: IsoDate | null;
  /** The contract event fed; default `recruitment.contract-signed`. */
  event?: ContractEvent;
};

export interface Employed {
  /** The contract state recruitment published, to feed its next events from. */
  state: ContractState;
  /** The contract received on a post, or null while it waits for one. */
  contract: EmploymentContract | null;
}

/**
 * Recruitment validated a contract at the structure (a mise en relation `FINALISEE`), fed to conventions' consumers
 * as recruitment publishes it: the contract is received on a vacant post of a signed agreement, or waits. A CDD of
 * a year from 2022-01-03 unless told; fresh mise en relation and advisor ids unless given.
 */
export async function employInConventions(orm: MikroORM, data: EmploymentData): Promise<Employed> {
  const { type = 'CDD', startDate = '2022-01-03', endDate, event = contractSigned, ...rest } = data;
  const state = contractState({
    miseEnRelationId: uniqueId(),
    conseillerId: uniqueId(),
    ...rest,
    contract: {
      type,
      startDate,
      endDate: endDate !== undefined ? endDate : type === 'CDI' ? null : addDays(addMonths(startDate, 12), -1),
      grossMonthlySalaryCents: 180_000,
    },
  });
  await feed(orm, 'conventions', event, state.miseEnRelationId, state);
  const contract = await orm.em.fork().findOne(EmploymentContract, { miseEnRelationId: state.miseEnRelationId }, { populate: ['post'] });
  return { state, contract };
}

/** Recruitment validated the rupture of a contract on `ruptureDate`, fed to conventions: its post is freed. */
export async function ruptureInConventions(
  orm: MikroORM,
  { state }: Pick<Employed, 'state'>,
  ruptureDate: IsoDate,
): Promise<ContractState> {
  const ended: ContractState = { ...state, status: 'FINALISEE_RUPTURE', ruptureDate };
  await feed(orm, 'conventions', ruptureValidated, state.miseEnRelationId, ended);
  return ended;
}
