import { defineEntity, p } from '@mikro-orm/core';
import { PERSON_STATUSES } from '../../common/demo/world.js';
import { Structure } from './structure.entity.js';

export { PERSON_STATUSES as CONSEILLER_STATUSES };
export type ConseillerStatus = (typeof PERSON_STATUSES)[number];

export const ConseillerSchema = defineEntity({
  name: 'Conseiller',
  properties: {
    /** The programme's public id (idPG). */
    id: p.integer().primary().autoincrement(false),
    firstName: p.string(),
    lastName: p.string(),
    status: p.enum(PERSON_STATUSES).index(),
    communeCode: p.string().length(5),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(2),
    structure: () => p.manyToOne(Structure).nullable().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Conseiller extends ConseillerSchema.class {}
ConseillerSchema.setClass(Conseiller);
