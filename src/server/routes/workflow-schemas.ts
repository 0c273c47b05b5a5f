import { z } from 'zod';
import { actions, caseStates, complexities, conclusionFigureNames, FIGURE_LIMITS, findings, stepGrounds, type ConclusionFigureName } from '../../domain/index.js';
import { bytes, day, text, uuid } from '../schemas.js';

// Shapes shared by the workflow routes. Ciphertext travels as base64url; days as
// 'YYYY-MM-DD'. Nothing here carries plaintext content.

export { day, uuid };
/** A sealed workflow record (a reason, a notice, a signature): base64url, at most 1.4 MB. */
export const sealedRecord = bytes(1_400_000);

export const sealedNotice = z.object({ messageId: uuid, ciphertext: sealedRecord, signature: sealedRecord });

/** A conclusion's figures (src/domain/conclusion-figures.ts): each a whole number in its bounds, nothing else. */
export const conclusionFigures = z.strictObject(Object.fromEntries(conclusionFigureNames.map((name) => [
  name, z.number().int().min(0).max(FIGURE_LIMITS[name]),
])) as Record<ConclusionFigureName, z.ZodNumber>);

export const transitionBody = z.object({
  action: z.enum(actions),
  /** The decision's day; defaults to today and may not be in the future. */
  onDay: day.optional(),
  /** Extra citation appended to the profile's own basis (e.g. the clause of Art. 34.2). */
  legalBasis: text(200).optional(),
  reason: sealedRecord,
  finding: z.enum(findings).optional(),
  extension: z.object({ complexity: z.enum(complexities), days: z.number().int().min(1).max(366) }).optional(),
  /**
   * The limb of its provision a step names, signed with it: why a settlement goes on after a
   * full withdrawal (Decree 31 new Art. 4(4)), the measure a handling records (Law Art.
   * 36(1)), who monitors the carrying out (Decree 31 Art. 18(2)). The rule set says which.
   */
  ground: z.enum(stepGrounds).optional(),
  /** What a conclusion recommends in numbers, signed with it; only a conclusion carries them. */
  figures: conclusionFigures.optional(),
  notice: sealedNotice.optional(),
  /** The actor's signature over the transition (PROTOCOL.md §8.3, transition). */
  signature: sealedRecord,
});

export const transitionReply = z.object({
  caseId: uuid,
  seq: z.number().int(),
  action: z.enum(actions),
  from: z.enum(caseStates),
  to: z.enum(caseStates),
  onDay: day,
  legalBasis: z.string(),
  due: day.nullable(),
  late: z.boolean(),
  noticeMessageId: uuid.nullable(),
});

export const clockView = z.object({
  phase: z.string().nullable(),
  started: day.nullable(),
  paused: z.object({ since: day, remaining: z.number().int() }).nullable(),
  extensions: z.number().int(),
  due: day.nullable(),
  overdue: z.boolean(),
  remaining: z.number().int().nullable(),
  remainingUnit: z.enum(['working_days', 'calendar_days']).nullable(),
});

export const caseIdParams = z.object({ caseId: uuid });

/** A duty a step opened (VN-2026: what follows a conclusion), with its due day and, once met, the day and whether late. */
export const dutyView = z.object({
  duty: z.string(), openedOn: day, due: day, metOn: day.nullable(), late: z.boolean(), legalBasis: z.string(),
});

/** The error code a route answers each refusal of the state machine (src/domain/transitions.ts) with. */
export const refusalCode = {
  illegal_transition: 'illegal_transition', extension_refused: 'extension_refused', finding_required: 'validation_failed',
  ground_required: 'validation_failed', figures_invalid: 'validation_failed', day_out_of_order: 'bad_request', notice_required: 'notice_required', forbidden: 'forbidden', signature_invalid: 'crypto_failed',
} as const;
