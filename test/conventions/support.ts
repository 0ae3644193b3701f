import { expect } from '@jest/globals';
import { uniqueId } from '../support/ids.js';
import { expectNoErrors, type TestSubgraph } from '../support/subgraph.js';
import type { Data } from '../support/graphql.js';

/** GraphQL helpers over the in-process conventions subgraph. */
export function client(subgraph: () => TestSubgraph) {
  return {
    /** Runs an operation that must succeed; returns its data. */
    async ok<T = Record<string, Data>>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const response = await subgraph().execute<T>(query, variables);
      expectNoErrors(response);
      // Through JSON, as a client over HTTP sees it (DateTime values become ISO strings).
      return JSON.parse(JSON.stringify(response.data)) as T;
    },
    /** Runs an operation that must fail; returns its first error's message and extensions. */
    async fails(query: string, variables?: Record<string, unknown>) {
      const response = await subgraph().execute(query, variables);
      expect(response.errors?.length).toBeGreaterThan(0);
      const [error] = response.errors!;
      return { message: error!.message, ...(error!.extensions as { code: string; field?: string }) };
    },
  };
}

export const CONVENTION_FIELDS = /* GraphQL */ `
  id phase status sector legalCategory postsCount amountCents paidCents creditNotesCents remainingOwedCents
  durationMonths startDate endDate signedOn terminatedOn terminationKind declineReason
  dsFile { number procedure state createdAt instructionStartedAt processedAt }
  posts { id typology coordinatorContract state fundingStart fundingMonths monthsUsed fundingCents bonusCents paidCents givenBackOn exitReason renewed conseiller { id } }
  tranches { id rank periodStart periodEnd dueDate amountCents status blockedReason paidOn }
  creditNotes { amountCents reason issuedOn post { id } }
`;

export const OPEN = /* GraphQL */ `
  mutation ($input: OpenConventionInput!) { openConvention(input: $input) { ${CONVENTION_FIELDS} } }
`;
export const MOVE = /* GraphQL */ `
  mutation ($id: ID!, $state: DsState!, $at: DateTime) {
    moveDsFile(conventionId: $id, state: $state, at: $at) {
      id
      status
      dsFile {
        state
        instructionStartedAt
        processedAt
      }
    }
  }
`;
export const SIGN = /* GraphQL */ `
  mutation ($id: ID!, $signedOn: Date!, $startDate: Date) { signConvention(id: $id, signedOn: $signedOn, startDate: $startDate) { ${CONVENTION_FIELDS} } }
`;
export const CONVENTION = /* GraphQL */ `query ($id: ID!) { convention(id: $id) { ${CONVENTION_FIELDS} } }`;
export const RECORD_CONTRACT = /* GraphQL */ `
  mutation ($input: RecordEmploymentContractInput!) {
    recordEmploymentContract(input: $input) {
      id
      type
      startDate
      endDate
      post {
        id
        state
        conseiller {
          id
        }
      }
    }
  }
`;
export const PAY = /* GraphQL */ `
  mutation ($id: ID!, $paidOn: Date!) {
    markTranchePaid(id: $id, paidOn: $paidOn) {
      id
      status
      paidOn
      amountCents
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
