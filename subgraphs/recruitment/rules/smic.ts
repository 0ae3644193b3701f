/**
 * Gross monthly SMIC (35 h a week), euro cents, by the date it came into force. A contract's salary must be at
 * least the SMIC in force on its start date (the legacy code checks one configured figure, `contrat_smic`).
 */
const SMIC_HISTORY: readonly [from: string, cents: number][] = [
  ['2020-01-01', 153_942],
  ['2021-01-01', 155_458],
  ['2021-10-01', 158_947],
  ['2022-01-01', 160_312],
  ['2022-05-01', 164_558],
  ['2022-08-01', 167_895],
  ['2023-01-01', 170_928],
  ['2023-05-01', 174_720],
  ['2024-01-01', 176_692],
  ['2024-11-01', 180_180],
  ['2026-01-01', 182_303],
];

/** The SMIC in force on `day` (YYYY-MM-DD); days before 2020 get the 2020 figure. */
export function smicCentsOn(day: string): number {
  let cents = SMIC_HISTORY[0]![1];
  for (const [from, value] of SMIC_HISTORY) if (from <= day) cents = value;
  return cents;
}
