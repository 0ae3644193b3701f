import { defineEntity, p } from '@mikro-orm/core';

export const CRA_ACTIVITY_TYPES = ['INDIVIDUEL', 'COLLECTIF', 'PONCTUEL'] as const;
export const CRA_CHANNELS = ['RATTACHEMENT', 'AUTRE_LIEU', 'DISTANCE', 'DOMICILE'] as const;

export const CraSchema = defineEntity({
  name: 'Cra',
  properties: {
    id: p.integer().primary(),
    /** The advisor and the structure (owned by the recruitment subgraph): federation references, not foreign keys. */
    conseillerId: p.integer(),
    structureId: p.integer().index(),
    date: p.date(),
    activityType: p.enum(CRA_ACTIVITY_TYPES),
    channel: p.enum(CRA_CHANNELS),
    participants: p.integer(),
    durationMinutes: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  // The advisor's latest reports are read newest first.
  indexes: [{ properties: ['conseillerId', 'date', 'id'] }],
});

export class Cra extends CraSchema.class {}
CraSchema.setClass(Cra);
