import { ANONYMOUS, SYSTEM_ADMIN, type Viewer } from '../../common/viewer.js';

/**
 * The viewers of the authorization matrices: a dashboard user of a role with its restriction (territory, structures,
 * advisors, network), and a partner key with its scopes and restriction.
 */
export const user = (role: Viewer['role'], restriction: Partial<Viewer> = {}): Viewer => ({
  ...SYSTEM_ADMIN,
  role,
  id: `u-${role}`,
  ...restriction,
});

export const partnerKey = (scopes: Viewer['scopes'], restriction: Partial<Viewer> = {}): Viewer => ({
  ...ANONYMOUS,
  kind: 'api_key',
  role: 'partner',
  id: 'k',
  scopes,
  ...restriction,
});
