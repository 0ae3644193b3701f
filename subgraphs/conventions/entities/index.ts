import { Amendment } from './amendment.entity.js';
import { EmploymentContract } from './contract.entity.js';
import { Convention } from './convention.entity.js';
import { CreditNote } from './credit-note.entity.js';
import { Post } from './post.entity.js';
import { Tranche } from './tranche.entity.js';

export { Amendment, Convention, CreditNote, EmploymentContract, Post, Tranche };
export const entities = [Convention, Post, EmploymentContract, Tranche, CreditNote, Amendment];
