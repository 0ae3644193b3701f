import type { Commune } from '../../../common/geography.js';
import type { Random } from '../../../common/demo/random.js';
import {
  CRA_SUB_THEMES,
  CRA_THEMES,
  type CraActivityType,
  type CraChannel,
  type CraRedirectionBody,
  type CraSubTheme,
  type CraTheme,
} from '../entities/vocabulary.js';
import type { CraInput } from '../rules/cra-validation.js';

/**
 * Realistic random reports, shared by the demo seeder and the national data generator. The shares are rough
 * readings of the v1 national statistics: two thirds individual support, seniors and retirees over-represented,
 * a few themes (equipment, internet, emails, online procedures) dominating.
 */

function weighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = random.next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items.at(-1)![0];
}

/** Spreads `n` people over buckets with the given weights. */
function spread(random: Random, n: number, weights: readonly number[]): number[] {
  const counts = weights.map(() => 0);
  const indexed = weights.map((w, i) => [i, w] as const);
  for (let k = 0; k < n; k++) counts[weighted(random, indexed)]! += 1;
  return counts;
}

const ACTIVITY_TYPES: readonly (readonly [CraActivityType, number])[] = [
  ['INDIVIDUEL', 62],
  ['PONCTUEL', 24],
  ['COLLECTIF', 14],
];
const CHANNELS: readonly (readonly [CraChannel, number])[] = [
  ['RATTACHEMENT', 74],
  ['AUTRE_LIEU', 12],
  ['DISTANCE', 9],
  ['DOMICILE', 5],
];
const DURATIONS: Record<CraActivityType, readonly (readonly [string, number])[]> = {
  INDIVIDUEL: [
    ['0-30', 22],
    ['30-60', 46],
    ['60', 16],
    ['90', 10],
    ['120', 6],
  ],
  PONCTUEL: [
    ['0-30', 72],
    ['30-60', 25],
    ['60', 3],
  ],
  COLLECTIF: [
    ['60', 25],
    ['90', 30],
    ['120', 35],
    ['180', 10],
  ],
};
const THEME_WEIGHTS: readonly (readonly [CraTheme, number])[] = CRA_THEMES.map((t) => [
  t,
  (
    {
      EQUIPEMENT_INFORMATIQUE: 22,
      INTERNET: 16,
      COURRIEL: 14,
      DEMARCHE_EN_LIGNE: 18,
      SECURITE: 6,
      SMARTPHONE: 4,
      TRAITEMENT_TEXTE: 6,
      SANTE: 5,
    } as Partial<Record<CraTheme, number>>
  )[t] ?? 2,
]);
const REDIRECTIONS: readonly (readonly [CraRedirectionBody, number])[] = [
  ['FRANCE_SERVICES', 25],
  ['CAF', 12],
  ['MAIRIE', 12],
  ['CPAM', 8],
  ['POLE_EMPLOI', 8],
  ['DGFIP', 6],
  ['CCAS', 6],
  ['ANTS', 5],
  ['MEDIATHEQUE', 4],
  ['MISSION_LOCALE', 4],
  ['ASSISTANTE_SOCIALE', 3],
  ['PREFECTURE', 2],
  ['REVENDEUR_INFORMATIQUE', 2],
  ['AUTRE', 3],
];
const SUB_THEMES_OF = new Map<CraTheme, CraSubTheme[]>();
for (const [sub, theme] of Object.entries(CRA_SUB_THEMES) as [CraSubTheme, CraTheme][])
  SUB_THEMES_OF.set(theme, [...(SUB_THEMES_OF.get(theme) ?? []), sub]);

/** Who files, where and when; the structure is the one employing the advisor that day (the report does not name it). */
export interface CraContext {
  conseillerId: number;
  commune: Commune;
  date: string;
  placeId?: number | null;
}

/** One valid random report (always passes `validateCra`). */
export function randomCraInput(random: Random, context: CraContext): CraInput {
  const activityType = weighted(random, ACTIVITY_TYPES);
  const participants =
    activityType === 'COLLECTIF'
      ? Math.min(100, 2 + random.int(1, 6) + random.int(0, 6) + (random.chance(0.05) ? random.int(5, 25) : 0))
      : 1;
  const [under12, from12To18, from18To35, from35To60, over60] = spread(random, participants, [3, 5, 18, 34, 40]);
  const [etudiant, sansEmploi, enEmploi, retraite, heterogene] = spread(random, participants, [7, 22, 24, 41, 6]);
  const themes = new Set<CraTheme>([weighted(random, THEME_WEIGHTS)]);
  while (random.chance(0.35) && themes.size < 4) themes.add(weighted(random, THEME_WEIGHTS));
  const subThemes = [...themes].flatMap((t) => SUB_THEMES_OF.get(t)?.filter(() => random.chance(0.3)) ?? []);
  const followUps = { individual: 0, workshop: 0, redirected: 0 };
  const redirections: { body: CraRedirectionBody; otherName: string | null; count: number }[] = [];
  if (activityType !== 'COLLECTIF') {
    const next = weighted(random, [
      ['individual', 28],
      ['workshop', 6],
      ['redirected', 12],
      ['none', 54],
    ] as const);
    if (next !== 'none') followUps[next] = 1;
    if (next === 'redirected') {
      const body = weighted(random, REDIRECTIONS);
      redirections.push({ body, otherName: body === 'AUTRE' ? 'Point justice' : null, count: 1 });
    }
  } else if (random.chance(0.3)) {
    followUps.workshop = random.int(1, participants);
  }
  const postalCode = context.commune.codesPostaux?.[0] ?? '00000';
  return {
    conseillerId: context.conseillerId,
    placeId: context.placeId ?? null,
    date: context.date,
    channel: weighted(random, CHANNELS),
    activityType,
    participants,
    recurringParticipants: activityType === 'COLLECTIF' ? random.int(0, participants) : random.chance(0.4) ? 1 : 0,
    ages: { under12, from12To18, from18To35, from35To60, over60 },
    statuses: { etudiant, sansEmploi, enEmploi, retraite, heterogene },
    themes: [...themes],
    subThemes,
    duration: weighted(random, DURATIONS[activityType]),
    followUps,
    redirections,
    communeCode: context.commune.code,
    postalCode,
    annotation: null,
  };
}

/** Relative activity per month (January first): summer and Christmas dips, autumn and March peaks. */
export const MONTH_SEASONALITY = [1.0, 1.0, 1.1, 1.0, 0.9, 1.0, 0.6, 0.35, 1.0, 1.1, 1.05, 0.75];
/** Relative activity per weekday (Sunday first, as `getUTCDay`). */
export const WEEKDAY_SEASONALITY = [0.02, 1.05, 1.1, 1.0, 1.1, 0.95, 0.15];
