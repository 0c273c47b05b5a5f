import type { Complexity } from '../../domain/index.js';
import { CliError } from '../common/output.js';

/** `--complexity` and `--days` as one extension (extend), both or neither. */
export function extensionOf(o: { complexity?: Complexity; days?: string }): { complexity: Complexity; days: number } | undefined {
  if (o.complexity === undefined && o.days === undefined) return undefined;
  const days = Number(o.days);
  if (!o.complexity || !Number.isInteger(days) || days < 1) throw new CliError('an extension needs both --complexity and --days N (a whole number of days)');
  return { complexity: o.complexity, days };
}
