import { reference } from '../../../common/references.js';
import type { CertificationAttemptResolvers, ExemptionResolvers } from '../types.generated.js';

export const CertificationAttempt: CertificationAttemptResolvers = {
  conseiller: (attempt) => reference('Conseiller', attempt.conseillerId),
};

export const Exemption: ExemptionResolvers = {
  reason: (learner) => learner.exemptionReason!,
  grantedOn: (learner) => learner.exemptedOn!,
  comment: (learner) => learner.exemptionComment ?? null,
};
