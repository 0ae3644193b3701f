import { defineEntity, p } from '@mikro-orm/core';
import { PLACE_ACCESS_TYPES } from './vocabulary.js';

/** Opening hours of one day: null pairs mean closed for that half-day ("Fermé", the default). */
export interface DayHours {
  morning: [string, string] | null;
  afternoon: [string, string] | null;
}

/** A place of activity (*permanence*, *lieu d'activité*, docs/domain.md §1.8) where advisors receive the public. */
export const PlaceSchema = defineEntity({
  name: 'Place',
  properties: {
    id: p.integer().primary(),
    /** The structure that runs the place (recruitment's id). */
    structureId: p.integer().index(),
    name: p.string(),
    /** True when this is the structure's own site (`estStructure`). */
    isStructureSite: p.boolean().default(false),
    siret: p.string().length(14).nullable(),
    phone: p.string().length(20).nullable(),
    email: p.string().nullable(),
    website: p.string().nullable(),
    streetNumber: p.string().length(10).nullable(),
    street: p.string(),
    postalCode: p.string().length(5),
    communeCode: p.string().length(5),
    communeName: p.string(),
    departementCode: p.string().length(3).index(),
    regionCode: p.string().length(3),
    latitude: p.double().nullable(),
    longitude: p.double().nullable(),
    /** Seven days, Monday first. */
    openingHours: p.json<DayHours[]>(),
    accessTypes: p.enum(PLACE_ACCESS_TYPES).array(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Place extends PlaceSchema.class {}
PlaceSchema.setClass(Place);

/** An advisor working at a place; `mainPlace` is `lieuPrincipalPour`, `itinerant` is `conseillersItinerants`. */
export const PlaceConseillerSchema = defineEntity({
  name: 'PlaceConseiller',
  properties: {
    id: p.integer().primary(),
    place: () => p.manyToOne(Place).deleteRule('cascade'),
    conseillerId: p.integer().index(),
    mainPlace: p.boolean().default(false),
    itinerant: p.boolean().default(false),
  },
  uniques: [{ properties: ['place', 'conseillerId'] }],
});
export class PlaceConseiller extends PlaceConseillerSchema.class {}
PlaceConseillerSchema.setClass(PlaceConseiller);
