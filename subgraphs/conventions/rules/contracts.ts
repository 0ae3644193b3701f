import type { IsoDate } from '../../../common/calendar.js';
import type { RecruitmentContract } from '../../../common/events/copies.js';
import type { EmploymentContract, Post } from '../entities/index.js';
import type { ConventionBook } from './ledger.js';

/**
 * Which post each of recruitment's contracts holds (docs/domain.md §1.4, §1.5, §2.3, §2.5): the contracts received
 * are derived from the copy of recruitment's contracts, never keyed in. Pure functions over rows in hand; the
 * service (services/contract.service.ts) reads and locks them and writes what these decide.
 *
 * - A contract that employs (catalogue.ts `employmentPeriod`) is received on a post of its typology (a coordinator
 *   contract on a COORDINATEUR post) of the structure's running signed agreement of its phase whose period it
 *   overlaps; its dates follow recruitment's (an extension moves the end, a validated rupture sets the early end).
 * - A contract in post (FINALISEE, or NOUVELLE_RUPTURE until the rupture is validated) occupies its post; once its
 *   employment ended (rupture validated, natural end, replaced by its renewal) the post is VACANT.
 * - A renewal takes the phase-2 post renewed from the one its predecessor held, when there is one.
 * - Never more occupied posts than funded: a contract in post with no vacant post waits, and is taken when a post
 *   is funded or an agreement signed. A contract already ended is received only on a post no other contract
 *   received covers over its days (history: the months used, the tranches' condition), occupying nothing.
 * - A contract received stays on its post: the decision depends on the state only, so running it again, or after
 *   an older event, changes nothing.
 */

export type ContractCopy = Pick<
  RecruitmentContract,
  | 'miseEnRelationId'
  | 'conseillerId'
  | 'status'
  | 'phase'
  | 'coordinator'
  | 'contractType'
  | 'startDate'
  | 'endDate'
  | 'ruptureDate'
  | 'renewalOfId'
  | 'employedFrom'
  | 'employedUntil'
>;

/** The advisor is in post under this contract (the rupture declared but not validated included). */
export function inPost(copy: Pick<ContractCopy, 'status' | 'employedFrom'>): boolean {
  return copy.employedFrom != null && (copy.status === 'FINALISEE' || copy.status === 'NOUVELLE_RUPTURE');
}

/** The terms a contract received copies from recruitment's. */
export function termsOf(copy: ContractCopy): Pick<EmploymentContract, 'conseillerId' | 'type' | 'startDate' | 'endDate' | 'endedEarlyOn'> {
  return {
    conseillerId: copy.conseillerId,
    type: copy.contractType!,
    startDate: copy.startDate!,
    endDate: copy.endDate ?? null,
    endedEarlyOn: copy.status === 'FINALISEE_RUPTURE' ? (copy.ruptureDate ?? null) : null,
  };
}

function overlaps(a: { start: IsoDate; end: IsoDate | null }, b: { start: IsoDate; end: IsoDate | null }): boolean {
  return a.start <= (b.end ?? '9999-12-31') && b.start <= (a.end ?? '9999-12-31');
}

const periodOf = (c: Pick<EmploymentContract, 'startDate' | 'endDate' | 'endedEarlyOn'>) => ({
  start: c.startDate,
  end: c.endedEarlyOn ?? c.endDate ?? null,
});

export interface Placement {
  copy: ContractCopy;
  book: ConventionBook;
  post: Post;
}

export interface PostChange {
  post: Post;
  state: 'OCCUPE' | 'VACANT';
  conseillerId: number | null;
}

/**
 * What to write for a structure: the contracts to receive (on which post), and the posts whose occupant changes.
 * `books` are the structure's running signed agreements; `copies` its contracts that employ, in the order they
 * started (earlier contracts first, then by id); `received` the rows already received for them, on any agreement.
 * Rows already in the books must carry the copy's terms before (`termsOf`), so that the early ends are current.
 */
export function placeContracts(
  books: readonly ConventionBook[],
  copies: readonly ContractCopy[],
  received: readonly Pick<EmploymentContract, 'miseEnRelationId' | 'post'>[],
): { placements: Placement[]; changes: PostChange[] } {
  const byCopy = new Map(copies.map((c) => [c.miseEnRelationId, c]));
  const rowPost = new Map(received.map((r) => [r.miseEnRelationId, r.post.id]));
  const posts = books.flatMap((book) => book.posts.filter((p) => p.state !== 'RENDU').map((post) => ({ book, post })));
  // Who holds each post, and which periods each post's contracts cover, as placements are decided.
  const holder = new Map<number, number>();
  const covered = new Map<number, { start: IsoDate; end: IsoDate | null }[]>();
  for (const book of books) {
    for (const row of book.contracts) {
      const copy = byCopy.get(row.miseEnRelationId);
      if (copy && inPost(copy)) holder.set(row.post.id, copy.conseillerId);
      covered.set(row.post.id, [...(covered.get(row.post.id) ?? []), periodOf(row)]);
    }
  }
  const placements: Placement[] = [];
  for (const copy of copies) {
    if (rowPost.has(copy.miseEnRelationId) || !copy.employedFrom || !copy.contractType || !copy.startDate) continue;
    const period = { start: copy.employedFrom, end: copy.employedUntil ?? null };
    const typology = copy.coordinator ? 'COORDINATEUR' : 'CONSEILLER';
    const candidates = posts.filter(
      ({ book, post }) =>
        book.convention.phase === copy.phase &&
        post.typology === typology &&
        overlaps(period, { start: book.convention.startDate, end: book.convention.endDate }),
    );
    const predecessorPost = copy.renewalOfId != null ? rowPost.get(copy.renewalOfId) : undefined;
    const holding = inPost(copy);
    const free = candidates
      .filter(({ post }) =>
        holding ? !holder.has(post.id) : !holder.has(post.id) && !(covered.get(post.id) ?? []).some((p) => overlaps(p, period)),
      )
      // The post renewed from the predecessor's first; then posts not reserved by a renewal, oldest first.
      .sort(
        (a, b) =>
          Number(b.post.renewedFromId != null && b.post.renewedFromId === predecessorPost) -
            Number(a.post.renewedFromId != null && a.post.renewedFromId === predecessorPost) ||
          Number(a.post.renewedFromId != null) - Number(b.post.renewedFromId != null) ||
          a.post.id - b.post.id,
      );
    const chosen = free[0];
    if (!chosen) continue;
    placements.push({ copy, ...chosen });
    rowPost.set(copy.miseEnRelationId, chosen.post.id);
    if (holding) holder.set(chosen.post.id, copy.conseillerId);
    covered.set(chosen.post.id, [...(covered.get(chosen.post.id) ?? []), period]);
  }
  const changes: PostChange[] = [];
  for (const { post } of posts) {
    const conseillerId = holder.get(post.id) ?? null;
    const state = conseillerId == null ? 'VACANT' : 'OCCUPE';
    if (post.state !== state || (post.conseillerId ?? null) !== conseillerId) changes.push({ post, state, conseillerId });
  }
  return { placements, changes };
}
