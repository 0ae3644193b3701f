import { COPY_ENTITIES } from '../../../common/events/copies.js';
import { Amendment } from './amendment.entity.js';
import { EmploymentContract } from './contract.entity.js';
import { Convention } from './convention.entity.js';
import { CreditNote } from './credit-note.entity.js';
import { Post } from './post.entity.js';
import { PostTransfer } from './post-transfer.entity.js';
import { Tranche } from './tranche.entity.js';

export { Amendment, Convention, CreditNote, EmploymentContract, Post, PostTransfer, Tranche };
/** Its own entities, and the copies it keeps of recruitment's structures and contracts (common/events/copies.ts). */
export const entities = [...COPY_ENTITIES, Convention, Post, EmploymentContract, Tranche, CreditNote, Amendment, PostTransfer];
