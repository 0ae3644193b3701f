import { defineEntity, p } from '@mikro-orm/core';
import { Convention } from './convention.entity.js';
import { CREDIT_NOTE_REASONS } from './vocabulary.js';

/** A credit note (*avoir*): what the structure owes back when a post's funding is cut below what was paid. */
export const CreditNoteSchema = defineEntity({
  name: 'CreditNote',
  properties: {
    id: p.integer().primary(),
    convention: () => p.manyToOne(Convention).index(),
    postId: p.integer().nullable(),
    amountCents: p.bigint('number'),
    reason: p.enum(CREDIT_NOTE_REASONS),
    issuedOn: p.date(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class CreditNote extends CreditNoteSchema.class {}
CreditNoteSchema.setClass(CreditNote);
