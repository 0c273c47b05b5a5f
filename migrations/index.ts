import type { Migration } from 'kysely/migration';
import * as core from './0001_core.js';
import * as denouncer from './0002_denouncer.js';
import * as workflow from './0003_workflow.js';
import * as staff from './0004_staff.js';
import * as workflowCalendarPublication from './0006_workflow_calendar_publication.js';
import * as protectionDetailsRelease from './0007_protection_details_release.js';
import * as listIndexes from './0008_list_indexes.js';
import * as caseIndexes from './0009_case_indexes.js';
import * as receiptStatusFunction from './0010_receipt_status_function.js';
import * as submitCasesFunction from './0011_submit_cases_function.js';
import * as attachmentUploads from './0012_attachment_uploads.js';
import * as grantSignatures from './0013_grant_signatures.js';
import * as submitCasesAnswersEachCase from './0014_submit_cases_answers_each_case.js';
import * as workflowSignatures from './0015_workflow_signatures.js';
import * as messageReads from './0016_message_reads.js';
import * as caseProposals from './0017_case_proposals.js';
import * as jurisdictions from './0018_jurisdictions.js';
import * as withdrawalGrounds from './0019_withdrawal_grounds.js';
import * as conclusionDuties from './0020_conclusion_duties.js';
import * as intakeChannels from './0021_intake_channels.js';
import * as handlingIndex from './0022_handling_index.js';
import * as staffNotifications from './0023_staff_notifications.js';
import * as protectionChannels from './0024_protection_channels.js';
import * as reshares from './0025_reshares.js';
import * as staffRotation from './0026_staff_rotation.js';
import * as agencyKeyTransitions from './0027_agency_key_transitions.js';
import * as recoveryRecipient from './0028_recovery_recipient.js';
import * as protectionSteps from './0029_protection_steps.js';
import * as conclusionFigures from './0030_conclusion_figures.js';

// Listed statically (not read from the directory) so the bundled server carries them.
// Names sort in application order; never rename or edit one that has shipped. The
// database's functions are not migrations: src/server/db/sql/, re-created on every
// migrate after the last one (src/server/db/database-functions.ts).
export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_denouncer': denouncer,
  '0003_workflow': workflow,
  '0004_staff': staff,
  '0006_workflow_calendar_publication': workflowCalendarPublication,
  '0007_protection_details_release': protectionDetailsRelease,
  '0008_list_indexes': listIndexes,
  '0009_case_indexes': caseIndexes,
  '0010_receipt_status_function': receiptStatusFunction,
  '0011_submit_cases_function': submitCasesFunction,
  '0012_attachment_uploads': attachmentUploads,
  '0013_grant_signatures': grantSignatures,
  '0014_submit_cases_answers_each_case': submitCasesAnswersEachCase,
  '0015_workflow_signatures': workflowSignatures,
  '0016_message_reads': messageReads,
  '0017_case_proposals': caseProposals,
  '0018_jurisdictions': jurisdictions,
  '0019_withdrawal_grounds': withdrawalGrounds,
  '0020_conclusion_duties': conclusionDuties,
  '0021_intake_channels': intakeChannels,
  '0022_handling_index': handlingIndex,
  '0023_staff_notifications': staffNotifications,
  '0024_protection_channels': protectionChannels,
  '0025_reshares': reshares,
  '0026_staff_rotation': staffRotation,
  '0027_agency_key_transitions': agencyKeyTransitions,
  '0028_recovery_recipient': recoveryRecipient,
  '0029_protection_steps': protectionSteps,
  '0030_conclusion_figures': conclusionFigures,
};
