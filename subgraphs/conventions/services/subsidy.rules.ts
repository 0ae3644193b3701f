/**
 * Initial (V1) State subsidy per post, in euro cents, as published: public structures 50,000 € over 24 months
 * (70,000 € in Guadeloupe, Martinique and Guyane; 67,500 € in La Réunion and Mayotte); private structures
 * 32,000 € over 18 months.
 */
export function initialSubsidyPerPostCents(sector: 'PUBLIC' | 'PRIVATE', departementCode: string): number {
  if (sector === 'PRIVATE') return 32_000_00;
  if (['971', '972', '973'].includes(departementCode)) return 70_000_00;
  if (['974', '976'].includes(departementCode)) return 67_500_00;
  return 50_000_00;
}

/** Length of the initial agreement: 24 months for public structures, 18 for private ones. */
export function initialAgreementMonths(sector: 'PUBLIC' | 'PRIVATE'): number {
  return sector === 'PRIVATE' ? 18 : 24;
}
