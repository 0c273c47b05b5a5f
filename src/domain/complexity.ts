import type { Complexity } from './profile.js';

// Decree 31/2019/NĐ-CP Art. 3: a case is complex when one of these holds, especially
// complex when two or more do. The count decides how many Art. 30 extensions it may get.

export interface ComplexityFactors {
  locations: number;
  contents: number;
  denouncers: number;
  foreignElement: boolean;
  severalAgencies: boolean;
}

export function classifyComplexity(f: ComplexityFactors): Complexity | 'simple' {
  const met = [f.locations >= 2, f.contents >= 2, f.denouncers >= 2, f.foreignElement, f.severalAgencies].filter(Boolean).length;
  if (met >= 2) return 'especially_complex';
  return met === 1 ? 'complex' : 'simple';
}
