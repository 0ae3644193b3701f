import { expect } from '@jest/globals';
import { expectNoErrors, type TestSubgraph } from '../support/subgraph.js';
import type { Data } from '../support/graphql.js';

/** Runs an operation that must succeed and returns its data. */
export async function run<T = Record<string, Data>>(
  subgraph: TestSubgraph,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const response = await subgraph.execute<T>(query, variables);
  expectNoErrors(response);
  return response.data as T;
}

/** Runs an operation that must fail with this code; returns the error's extensions for further checks. */
export async function runFailing(
  subgraph: TestSubgraph,
  code: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Record<string, unknown> & { message: string }> {
  const response = await subgraph.execute(query, variables);
  expect(response.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  return { ...response.errors![0]!.extensions, message: response.errors![0]!.message };
}

/** A valid contract starting on `startDate` (CDD of one year at 1,900 €). */
export function cdd(startDate = '2025-01-06', endDate = '2026-01-05') {
  return { type: 'CDD', startDate, endDate, grossMonthlySalaryCents: 190_000 };
}

/** A contract as the factories write it on a mise en relation. */
export function contractOf(contract: { type: string; startDate: string; endDate?: string; grossMonthlySalaryCents: number }) {
  return {
    contractType: contract.type as 'CDD',
    contractStartDate: contract.startDate,
    contractEndDate: contract.endDate ?? null,
    grossMonthlySalaryCents: contract.grossMonthlySalaryCents,
  };
}

export const MER_FIELDS = `id status contract { type startDate endDate grossMonthlySalaryCents } rupture { date reason missingDocuments declared { by } validated { by } }
  structure { id occupiedPosts } conseiller { id status isAvailable structure { id } } history { fromStatus toStatus actor }`;
