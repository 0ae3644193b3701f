import { defineEntity, p } from '@mikro-orm/core';
import { CRA_AUDIT_ACTIONS } from './vocabulary.js';

/**
 * One change to a report: who filed, edited or deleted what, with the report before and after. Kept when the
 * report is deleted (no foreign key), so the trail survives it.
 */
export const CraAuditSchema = defineEntity({
  name: 'CraAudit',
  properties: {
    id: p.integer().primary(),
    craId: p.integer().index(),
    action: p.enum(CRA_AUDIT_ACTIONS),
    at: p.datetime().onCreate(() => new Date()),
    /** Who made the change, as the gateway established it (JWT subject or API key id), and their role. */
    actorId: p.string().nullable(),
    actorRole: p.string().length(20).nullable(),
    before: p.json<Record<string, unknown>>().nullable(),
    after: p.json<Record<string, unknown>>().nullable(),
  },
});
export class CraAudit extends CraAuditSchema.class {}
CraAuditSchema.setClass(CraAudit);
