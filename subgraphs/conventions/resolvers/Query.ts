import { parseId } from '../../../common/ids.js';
import { listAmendments } from '../services/amendment.service.js';
import { listConventions } from '../services/convention.service.js';
import type { QueryResolvers } from '../types.generated.js';

export const Query: QueryResolvers = {
  convention: (_parent, { id }, { loaders }) => loaders.convention.load(parseId(id)),
  conventions: (_parent, { filter, ...args }, { em, viewer }) =>
    listConventions(em, viewer, {
      ...args,
      filter: filter && { ...filter, structureId: filter.structureId ? parseId(filter.structureId, 'filter.structureId') : null },
    }),
  post: (_parent, { id }, { loaders }) => loaders.post.load(parseId(id)),
  amendments: (_parent, args, { em, viewer }) => listAmendments(em, viewer, args),
};
