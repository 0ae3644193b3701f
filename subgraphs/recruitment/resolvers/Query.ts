import { parseId } from '../../common/ids.js';
import { conseillerStatusCounts, listConseillers, nearestCandidates, type ConseillerFilter } from '../services/conseiller.service.js';
import { listMisesEnRelation, miseEnRelationStatusCounts, type MiseEnRelationFilter } from '../services/mise-en-relation.service.js';
import { listStructures, structureStatusCounts } from '../services/structure.service.js';
import { findDepartement, findRegion, listDepartements, listRegions } from '../services/territory.service.js';
import { parseOptionalId } from './shape.js';
import type { ConseillerFilter as ConseillerFilterInput, MiseEnRelationFilter as MiseEnRelationFilterInput, QueryResolvers } from '../types.generated.js';

const conseillerFilter = (filter: ConseillerFilterInput | null | undefined): ConseillerFilter | null =>
  filter
    ? { ...filter, structureId: parseOptionalId(filter.structureId, 'filter.structureId'), coordinatedBy: parseOptionalId(filter.coordinatedBy, 'filter.coordinatedBy') }
    : null;

const miseEnRelationFilter = (filter: MiseEnRelationFilterInput | null | undefined): MiseEnRelationFilter | null =>
  filter
    ? { ...filter, structureId: parseOptionalId(filter.structureId, 'filter.structureId'), conseillerId: parseOptionalId(filter.conseillerId, 'filter.conseillerId') }
    : null;

export const Query: QueryResolvers = {
  structure: (_parent, { id }, { loaders }) => loaders.structure.load(parseId(id)),
  structures: (_parent, args, { em }) => listStructures(em, args),
  structureStatusCounts: (_parent, { filter }, { em }) => structureStatusCounts(em, filter),
  conseiller: (_parent, { id }, { loaders }) => loaders.conseiller.load(parseId(id)),
  conseillers: (_parent, args, { em }) => listConseillers(em, { ...args, filter: conseillerFilter(args.filter) }),
  conseillerStatusCounts: (_parent, { filter }, { em }) => conseillerStatusCounts(em, conseillerFilter(filter)),
  nearestCandidates: (_parent, args, { em }) => nearestCandidates(em, { ...args, structureId: parseId(args.structureId, 'structureId') }),
  miseEnRelation: (_parent, { id }, { loaders }) => loaders.miseEnRelation.load(parseId(id)),
  misesEnRelation: (_parent, args, { em }) => listMisesEnRelation(em, { ...args, filter: miseEnRelationFilter(args.filter) }),
  miseEnRelationStatusCounts: (_parent, { filter }, { em }) => miseEnRelationStatusCounts(em, miseEnRelationFilter(filter)),
  departement: (_parent, { code }) => findDepartement(code),
  departements: (_parent, { regionCode }) => listDepartements(regionCode),
  region: (_parent, { code }) => findRegion(code),
  regions: () => listRegions(),
};
