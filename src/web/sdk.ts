import { HttpClient } from '../client/http.js';
import type { Backend } from '../protocol/index.js';
import type { PickedFile } from './views/files.js';
import type { Identity } from './views/report-fields.js';

// The page's one door to the server: thin adapters over the SDK (src/client), so the
// views never build a URL or a request themselves.

export interface AgencyEntry {
  id: string;
  slug: string;
  name: string;
  profile: string;
  signingPublicKey: string;
  bundle: { serial: number; payload: string; signature: string; publishedOn: string } | null;
}

export type SubmitStep = 'verify' | 'seal' | 'pow' | 'upload' | 'files';

export interface ReportValues {
  who: string;
  what: string;
  when: string;
  where: string;
  evidence: string;
}

export interface SubmitRequest {
  agency: AgencyEntry;
  report: ReportValues;
  identity: Identity | undefined;
  files: PickedFile[];
  onStep(step: SubmitStep): void;
}

export interface Submitted {
  receipt: string;
  publicNumber: string | undefined;
}

export interface CaseSummary {
  publicNumber: string | undefined;
  status: string;
  deadline: string | undefined;
  timeline: { day: string; kind: string; status?: string }[];
  messages: {
    id: string;
    fromDenouncer: boolean;
    day: string;
    text: string;
    attachments: { id: string; name: string; size: number }[];
  }[];
}

export interface OpenedCase {
  summary(): Promise<CaseSummary>;
  reply(text: string, files: PickedFile[]): Promise<void>;
  download(attachmentId: string): Promise<Blob>;
  requestProtection?: (r: { reasons: string; measures: string; urgent: boolean }) => Promise<void>;
  reportRetaliation?: (r: { description: string }) => Promise<void>;
  withdraw?: (r: { reason: string }) => Promise<void>;
  /** Drops the receipt-derived keys held in memory. */
  forget(): void;
}

function http(): HttpClient {
  return new HttpClient({ baseUrl: location.origin });
}

export async function fetchAgencies(): Promise<AgencyEntry[]> {
  const { agencies } = await http().get<{ agencies: AgencyEntry[] }>('/v1/agencies');
  return agencies;
}

export async function submitReport(_be: Backend, _request: SubmitRequest): Promise<Submitted> {
  throw new Error('not available yet');
}

export async function openByReceipt(_be: Backend, _receipt: string): Promise<OpenedCase> {
  throw new Error('not available yet');
}
