// What a conclusion recommends in numbers, for the periodic report (form 03/KQGQ columns,
// docs/LAW-VN.md §14): money and land to recover to the State, money and land to return to
// organisations and individuals, persons to handle. The head of agency signs them with the
// conclusion (PROTOCOL.md §8.3.4); the server keeps them as the step's metadata and sums
// them per period. Money in whole đồng (the form's million-đồng column is the sum divided
// by 1 000 000); land in whole square metres, as the form's column counts it.

export const conclusionFigureNames = [
  'recoveryMoney', 'recoveryLand', 'returnedMoney', 'returnedLand', 'sanctionPersons', 'sanctionOfficials', 'referredPersons',
] as const;
export type ConclusionFigureName = (typeof conclusionFigureNames)[number];
export type ConclusionFigures = Record<ConclusionFigureName, number>;

/** 10^15 đồng, 10^10 m² (10 000 km²), 10^6 persons: far above any case, and each a safe integer, as the signed u64 and JSON carry it. */
export const FIGURE_LIMITS: Readonly<Record<ConclusionFigureName, number>> = {
  recoveryMoney: 1e15, recoveryLand: 1e10, returnedMoney: 1e15, returnedLand: 1e10,
  sanctionPersons: 1e6, sanctionOfficials: 1e6, referredPersons: 1e6,
};

/** Why these figures cannot be a conclusion's, or null: each a whole number in its bounds, officials among the persons sanctioned. */
export function figuresProblem(f: Readonly<Record<string, unknown>>): string | null {
  for (const name of conclusionFigureNames) {
    const v = f[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > FIGURE_LIMITS[name]) {
      return `${name} is a whole number from 0 to ${FIGURE_LIMITS[name]}`;
    }
  }
  if (Object.keys(f).some((k) => !(conclusionFigureNames as readonly string[]).includes(k))) return 'a conclusion carries only the form\'s figures';
  if ((f['sanctionOfficials'] as number) > (f['sanctionPersons'] as number)) return 'the officials are among the persons recommended for sanction';
  return null;
}
