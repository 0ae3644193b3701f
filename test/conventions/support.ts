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

/** Input of an agreement opening, with a fresh structure id and DS number. */
export function openInput(overrides: Record<string, unknown> = {}) {
  return {
    structureId: String(uniqueId()),
    phase: 'PHASE_1',
    sector: 'PUBLIC',
    legalCategory: 'STRUCTURE_PUBLIQUE',
    departementCode: '59',
    regionCode: '32',
    dsNumber: uniqueId(),
    dsCreatedAt: '2021-10-01T08:00:00Z',
    startDate: '2022-01-01',
    advisorPosts: 2,
    attributionDate: '2021-11-15',
    ...overrides,
  };
}
