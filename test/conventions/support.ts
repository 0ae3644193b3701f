import type { MikroORM } from '../../common/db.js';
import type { StructureState } from '../../common/events/catalogue.js';
import { feedStructure, type StructureFacts } from '../support/factories/conventions.js';
import { uniqueId } from '../support/ids.js';

export const CONVENTION_FIELDS = /* GraphQL */ `
  id phase status sector legalCategory postsCount amountCents paidCents creditNotesCents remainingOwedCents
  durationMonths startDate endDate signedOn terminatedOn terminationKind declineReason
  dsFile { number procedure state createdAt instructionStartedAt processedAt }
  posts { id typology coordinatorContract state fundingStart fundingMonths monthsUsed fundingCents bonusCents paidCents givenBackOn exitReason renewed conseiller { id } }
  tranches { id rank periodStart periodEnd dueDate amountCents status blockedReason paidOn }
  creditNotes { amountCents reason issuedOn post { id } }
`;

export const OPEN = /* GraphQL */ `
  mutation ($input: OpenConventionInput!) { openConvention(input: $input) { convention { ${CONVENTION_FIELDS} } } }
`;
export const MOVE = /* GraphQL */ `
  mutation ($id: ID!, $state: DsState!, $at: DateTime) {
    moveDsFile(input: { conventionId: $id, state: $state, at: $at }) {
      convention {
        id
        status
        dsFile {
          state
          instructionStartedAt
          processedAt
        }
      }
    }
  }
`;
export const SIGN = /* GraphQL */ `
  mutation ($id: ID!, $signedOn: Date!, $startDate: Date) { signConvention(input: { conventionId: $id, signedOn: $signedOn, startDate: $startDate }) { convention { ${CONVENTION_FIELDS} } } }
`;
export const CONVENTION = /* GraphQL */ `query ($id: ID!) { convention(id: $id) { ${CONVENTION_FIELDS} } }`;
export const PAY = /* GraphQL */ `
  mutation ($id: ID!, $paidOn: Date!) {
    markTranchePaid(input: { trancheId: $id, paidOn: $paidOn }) {
      tranche {
        id
        status
        paidOn
        amountCents
      }
    }
  }
`;

/**
 * Input of an agreement opening, with a fresh structure id and DS number. The structure's facts (`sector`,
 * `departementCode`, `regionCode`, `network`, `priorityArea`: a public structure in Lille by default) are recruitment's:
 * they feed conventions' copy of it (validated, a quota covering the posts asked, unless `structure` overrides it, or
 * is false to feed nothing), not the input.
 */
export async function openInput(
  orm: MikroORM,
  overrides: Record<string, unknown> & StructureFacts & { structure?: Partial<StructureState> | false } = {},
) {
  const { sector = 'PUBLIC', departementCode = '59', regionCode = '32', network = null, priorityArea, structure, ...rest } = overrides;
  const input = {
    structureId: String(uniqueId()),
    phase: 'PHASE_1',
    legalCategory: sector === 'PUBLIC' ? 'STRUCTURE_PUBLIQUE' : 'ASSOCIATION',
    dsNumber: uniqueId(),
    dsCreatedAt: '2021-10-01T08:00:00Z',
    startDate: '2022-01-01',
    advisorPosts: 2,
    attributionDate: '2021-11-15',
    ...rest,
  };
  if (structure !== false) {
    await feedStructure(orm, Number(input.structureId), {
      sector,
      departementCode,
      regionCode,
      network,
      priorityArea,
      advisorPosts: Number(input.advisorPosts),
      coordinatorPosts: Array.isArray(rest.coordinatorPosts) ? rest.coordinatorPosts.length : 0,
      ...structure,
    });
  }
  return input;
}
