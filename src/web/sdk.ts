import {
  PartialSubmitError, SubmitRefusedError, blobFile, fetchAgency, listAgencies, listDirectory, solveAheadFor, submitCase,
  type AgencyListing, type CaseSummary as ReportSummary, type DirectoryEntry, type SubmitProgress,
} from '../client/denouncer.js';
import type { PowAhead, PowProgress } from '../client/pow.js';
import type { Backend } from '../protocol/index.js';
import { PRODUCTION, agencyPin, sawSerial } from './pins.js';
import { pagePowSolver } from './pow.js';
import type { PickedFile } from './views/files.js';
import type { Identity } from './views/report-fields.js';

// The page's one door to the server: thin adapters over the SDK (src/client), so the
// views never build a URL or a request themselves.

/** An agency with its key bundle, to be checked (agencies.ts). */
export type AgencyEntry = AgencyListing;
/** An agency as the choice lists it, by name. */
export type { DirectoryEntry };
export { PartialSubmitError, SubmitRefusedError };

export type SubmitStep = 'verify' | 'seal' | 'pow' | 'upload' | 'files';

export interface ReportValues { who: string; what: string; when: string; where: string; evidence: string }

export interface SubmitRequest {
  agency: DirectoryEntry;
  report: ReportValues;
  identity: Identity | undefined;
  files: PickedFile[];
  onStep(step: SubmitStep): void;
  /** The case is stored: its receipt can be shown while the files are still being sent. */
  onStored(submitted: Submitted): void;
  /** Where the proof of work is (puzzles solved, tries): the step that takes longest. */
  onPow?(progress: PowProgress): void;
}

/** A stored case: what the receipt panel and its printed slip show. */
export interface Submitted { receipt: string; publicNumber: string; agencyName: string; receivedOn: string }

export interface CaseSummary {
  /** What the denouncer sent, opened here from their own sealed copy. */
  report: { fields: Partial<ReportValues>; attachments: { attachmentId: string; name: string; size: number }[] };
  publicNumber: string | undefined;
  /** A case kind (src/domain caseKinds), as the server names it. */
  kind: string;
  /** A state of the agency's rule sets (src/domain caseStates), as the server names it. */
  status: string;
  deadline: string | undefined;
  timeline: { day: string; kind: string; status?: string }[];
  messages: {
    messageId: string;
    fromDenouncer: boolean;
    day: string;
    text: string;
    attachments: { attachmentId: string; name: string; size: number }[];
  }[];
}

export interface OpenedCase {
  summary(): Promise<CaseSummary>;
  reply(text: string, files: PickedFile[]): Promise<void>;
  download(attachmentId: string): Promise<Blob>;
  requestProtection?: (r: { reasons: string; measures: string; urgent: boolean }) => Promise<void>;
  /** Files a linked retaliation case; its own receipt comes back and must be shown. */
  reportRetaliation?: (r: { description: string }) => Promise<Submitted>;
  /** Withdraws all, or the part `letter` names (Art. 33); the letter is sealed on this device. */
  withdraw?: (r: { scope: 'all' | 'part'; letter: string }) => Promise<void>;
  /** Drops the session (and with it the receipt-derived keys) held by the page. */
  forget(): void;
}

export const server = () => location.origin;

/** What every SDK call of the page needs: this origin, and the page's proof-of-work solver. */
export const serverFor = (be: Backend) => ({ server: server(), backend: be, powSolver: pagePowSolver(be) });

let ahead: PowAhead | undefined;

/**
 * Starts the next submission's proof of work while the person writes (or keeps the one
 * solved fresh): on a slow device its minute passes before "send". Cheap to call often.
 */
export function solvePowAhead(be: Backend): void {
  (ahead ??= solveAheadFor(serverFor(be))).start();
}

/** The agencies to choose from, by name only (the HTML preloads this very request). */
export function fetchDirectory(): Promise<DirectoryEntry[]> {
  return listDirectory({ server: server() });
}

/**
 * Every agency with its key bundle, for the page to check the one chosen. The whole list,
 * on purpose: asking for the chosen one alone would tell the server which agency a
 * visitor considered, even one who then sends nothing. It is asked for after the
 * directory, so it never delays the choice, and while the person writes.
 */
export function fetchAgencyList(): Promise<AgencyEntry[]> {
  return listAgencies({ server: server() });
}

/** One agency with its key bundle, by id: for a case the server already knows the agency of. */
export function fetchAgencyEntry(agencyId: string): Promise<AgencyEntry | undefined> {
  return fetchAgency({ server: server() }, agencyId);
}

/** Only what the denouncer wrote: empty guided fields are left out of the sealed body. */
function summaryOf(report: ReportValues): ReportSummary {
  const out: ReportSummary = {};
  for (const key of ['who', 'what', 'when', 'where', 'evidence'] as const) {
    const value = report[key].trim();
    if (value) out[key] = value;
  }
  return out;
}

/** Routes the SDK's upload events to the file rows; files go up one after another, in order. */
function fileProgress(files: PickedFile[]): (p: { name: string; done: number; total: number }) => void {
  let index = 0;
  let finished = false;
  return ({ name, done, total }) => {
    if (finished || files[index]?.file.name !== name) {
      const next = files.findIndex((f, i) => i > index && f.file.name === name);
      if (next >= 0) index = next;
      finished = false;
    }
    const current = files[index];
    if (!current) return;
    current.setProgress(done, total);
    if (done === total) {
      current.setDone();
      finished = true;
    }
  };
}

/**
 * Seals and sends a report. `onStored` runs as soon as the server holds the case, before
 * any file is sent; the promise settles once every file is stored (or rejects with
 * PartialSubmitError when an upload is cut off after the case was stored).
 */
export async function submitReport(be: Backend, request: SubmitRequest): Promise<Submitted> {
  const { onStep } = request;
  const stored = (receipt: string, publicNumber: string, receivedOn: string): Submitted => ({ receipt, publicNumber, receivedOn, agencyName: request.agency.name });
  const onFile = fileProgress(request.files);
  onStep('verify');
  const { slug } = request.agency;
  const pin = agencyPin(slug);
  const submitted = await submitCase({
    ...serverFor(be),
    // By the slug its pin was chosen by, so the agency fetched, the pin and the signed slug are one.
    agency: slug,
    ...(ahead ? { powAhead: ahead } : {}),
    ...(pin ? { pinnedFingerprint: pin.fingerprint, minSerial: pin.minSerial, revokedFingerprints: pin.revoked } : {}),
    requirePin: PRODUCTION,
    body: summaryOf(request.report),
    ...(request.identity ? { identity: request.identity } : {}),
    attachments: request.files.map((p) => blobFile(p.file, p.file.name)),
    onProgress: (p: SubmitProgress) => {
      if (p.stage === 'verified') sawSerial(slug, p.serial);
      else if (p.stage === 'sealing') onStep('seal');
      else if (p.stage === 'proof-of-work') {
        onStep('pow');
        request.onPow?.(p);
      }
      else if (p.stage === 'sending') onStep('upload');
      else if (p.stage === 'submitted') request.onStored(stored(p.receipt, p.publicNumber, p.receivedOn));
      else if (p.stage === 'uploading') {
        onStep('files');
        onFile(p);
      }
    },
  });
  return stored(submitted.receipt, submitted.publicNumber, submitted.receivedOn);
}
