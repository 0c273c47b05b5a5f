import type { Action, Complexity, Finding, StepGround, WorkflowRole } from '../../domain/index.js';
import { t, tOr } from '../i18n/index.js';

// The law's words for the workflow's data: an action, a role, a finding, a complexity.
// Built from the domain's values, so a value the catalogue lacks still shows (raw).

export const actionText = (action: Action | string) => tOr(`action.${action}`, 'kind.unknown', { kind: action });
export const roleText = (role: WorkflowRole | string) => tOr(`role.${role}`, 'kind.unknown', { kind: role });
export const findingText = (finding: Finding) => t(`finding.${finding}`);
export const complexityText = (c: Complexity) => t(`complexity.${c}`);
export const groundText = (g: StepGround) => t(`ground.${g}`);
