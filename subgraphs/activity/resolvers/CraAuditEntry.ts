import type { CraAuditEntryResolvers } from '../types.generated.js';

export const CraAuditEntry: CraAuditEntryResolvers = {
  craId: (entry) => String(entry.craId),
  changedFields: (entry) => {
    const before = entry.before ?? {};
    const after = entry.after ?? {};
    const columns = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return columns.filter((c) => c !== 'updated_at' && JSON.stringify(before[c]) !== JSON.stringify(after[c])).sort();
  },
  before: (entry) => (entry.before ? JSON.stringify(entry.before) : null),
  after: (entry) => (entry.after ? JSON.stringify(entry.after) : null),
};
