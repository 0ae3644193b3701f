import { defineEntity, p } from '@mikro-orm/core';
import { STRUCTURE_STATUSES, STRUCTURE_TYPES } from '../../common/demo/world.js';

export { STRUCTURE_STATUSES, STRUCTURE_TYPES };
export type StructureType = (typeof STRUCTURE_TYPES)[number];
export type StructureStatus = (typeof STRUCTURE_STATUSES)[number];

export const StructureSchema = defineEntity({
  name: 'Structure',
  properties: {
    /** The programme's public id (idPG): assigned, not generated, so ids stay stable across imports. */
    id: p.integer().primary().autoincrement(false),
    name: p.string(),
    siret: p.string().length(14).nullable(),
    type: p.enum(STRUCTURE_TYPES),
    status: p.enum(STRUCTURE_STATUSES).index(),
    communeCode: p.string().length(5),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(2).index(),
    postQuota: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Structure extends StructureSchema.class {}
StructureSchema.setClass(Structure);
