import { defineEntity, p } from '@mikro-orm/core';
import { MODULE_REGISTRATION_STATUSES } from '../rules/training.js';

/** A module of the continuing-education catalogue (*modules thématiques*, Mednum and the hubs, from 2024). */
export const ThematicModuleSchema = defineEntity({
  name: 'ThematicModule',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(16).unique(),
    title: p.string(),
    hours: p.integer(),
    /** First year the module is offered (e.g. "Café IA" from 2025). */
    offeredFrom: p.smallint(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class ThematicModule extends ThematicModuleSchema.class {}
ThematicModuleSchema.setClass(ThematicModule);

/** An advisor's registration for a thematic module on a given day, then whether they attended. */
export const ModuleRegistrationSchema = defineEntity({
  name: 'ModuleRegistration',
  uniques: [{ properties: ['conseillerId', 'module', 'date'] }],
  properties: {
    id: p.integer().primary(),
    conseillerId: p.integer().index(),
    module: () => p.manyToOne(ThematicModule).index(),
    date: p.date(),
    status: p.enum(MODULE_REGISTRATION_STATUSES),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class ModuleRegistration extends ModuleRegistrationSchema.class {}
ModuleRegistrationSchema.setClass(ModuleRegistration);
