import { parseId } from '../../../common/ids.js';
import { conseillerStatusCounts, listConseillers, nearestCandidates, type ConseillerFilter } from '../services/conseiller.service.js';
import { listMisesEnRelation, miseEnRelationStatusCounts, type MiseEnRelationFilter } from '../services/mise-en-relation.service.js';
import { listStructures, structureStatusCounts } from '../services/structure.service.js';
import { findDepartement, findRegion, listDepartements, listRegions } from '../services/territory.service.js';
import { parseOptionalId } from './shape.js';
import type {
  ConseillerFilter as ConseillerFilterInput,
  MiseEnRelationFilter as MiseEnRelationFilterInput,
  QueryResolvers,
} from '../types.generated.js';

const conseillerFilter = (filter: ConseillerFilterInput | null | undefined): ConseillerFilter | null =>
  filter
    ? {
        ...filter,
        structureId: parseOptionalId(filter.structureId, 'filter.structureId'),
        coordinatedBy: parseOptionalId(filter.coordinatedBy, 'filter.coordinatedBy'),
      }
    : null;

const miseEnRelationFilter = (filter: MiseEnRelationFilterInput | null | undefined): MiseEnRelationFilter | null =>
  filter
    ? {
        ...filter,
        structureId: parseOptionalId(filter.structureId, 'filter.structureId'),
        conseillerId: parseOptionalId(filter.conseillerId, 'filter.conseillerId'),
      }
    : null;

export const Query: QueryResolvers = {
  structure: (_parent, { id }, { loaders }) => loaders.structure.load(parseId(id)),
  structures: (_parent, args, { em, viewer }) => listStructures(em, viewer, args),
  structureStatusCounts: (_parent, { filter }, { em, viewer }) => structureStatusCounts(em, viewer, filter),
  conseiller: (_parent, { id }, { loaders }) => loaders.conseiller.load(parseId(id)),
  conseillers: (_parent, args, { em, viewer }) => listConseillers(em, viewer, { ...args, filter: conseillerFilter(args.filter) }),
  conseillerStatusCounts: (_parent, { filter }, { em, viewer }) => conseillerStatusCounts(em, viewer, conseillerFilter(filter)),
  nearestCandidates: (_parent, args, { em, viewer }) =>
    nearestCandidates(em, viewer, { ...args, structureId: parseId(args.structureId, 'structureId') }),
  miseEnRelation: (_parent, { id }, { loaders }) => loaders.miseEnRelation.load(parseId(id)),
  misesEnRelation: (_parent, args, { em, viewer }) =>
    listMisesEnRelation(em, viewer, { ...args, filter: miseEnRelationFilter(args.filter) }),
  miseEnRelationStatusCounts: (_parent, { filter }, { em, viewer }) => miseEnRelationStatusCounts(em, viewer, miseEnRelationFilter(filter)),
  departement: (_parent, { code }) => findDepartement(code),
  departements: (_parent, { regionCode }) => listDepartements(regionCode),
  region: (_parent, { code }) => findRegion(code),
  regions: () => listRegions(),
};
