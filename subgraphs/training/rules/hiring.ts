/**
 * Who training counts as hired, and where, from its copy of recruitment's contracts (common/events/copies.ts; no
 * ORM, no I/O): the rule behind opening a path, granting an exemption and every per-territory figure. Training never
 * decides who is hired; recruitment does, and announces it in its contract events.
 */
import type { MISE_EN_RELATION_STATUSES } from '../../../common/programme.js';

/** The columns of a copied contract the rule reads. */
export interface ContractRow {
  miseEnRelationId: number;
  structureId: number;
  status: (typeof MISE_EN_RELATION_STATUSES)[number];
  startDate?: string | null;
  /** The days it employs its advisor (catalogue.ts `employmentPeriod`), null when it employs nobody. */
  employedFrom?: string | null;
  employedUntil?: string | null;
}

/**
 * Whether a contract makes its advisor hired or being hired on `day`: its recruitment is being validated (RECRUTEE,
 * the contract being signed), or it employs the advisor and has not ended before `day` (a signed contract that
 * starts later counts: the advisor is hired).
 */
export function engagesOn(contract: ContractRow, day: string): boolean {
  if (contract.status === 'RECRUTEE') return true;
  return contract.employedFrom != null && (contract.employedUntil == null || contract.employedUntil >= day);
}

/**
 * The contract that places an advisor on `day`, or null when none engages him: the one employing him that day (the
 * latest to start, as a renewal follows the contract it renews), else the next to come (a signed contract not
 * started yet, or one being signed), earliest first. Its structure is the advisor's employer for training.
 */
export function placementOn<C extends ContractRow>(contracts: readonly C[], day: string): C | null {
  const start = (c: C) => c.employedFrom ?? c.startDate ?? '9999-12-31';
  const employingOn = (c: C) => c.employedFrom != null && c.employedFrom <= day;
  const first = (a: C, b: C) =>
    // Employing that day first, the latest start among them; then the earliest to come; the older contract on a tie.
    Number(employingOn(b)) - Number(employingOn(a)) ||
    (employingOn(a) ? start(b).localeCompare(start(a)) : start(a).localeCompare(start(b))) ||
    a.miseEnRelationId - b.miseEnRelationId;
  return contracts.filter((c) => engagesOn(c, day)).sort(first)[0] ?? null;
}
