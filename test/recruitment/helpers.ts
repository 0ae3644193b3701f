/** Domain fixtures of the recruitment tests (running operations is test/support/graphql.ts's `succeeds`/`failsWith`). */

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
