import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileSource } from '../../client/files.js';
import { CliError } from '../common/output.js';
import { readSecret } from '../common/secrets.js';
import { canonicalFingerprint } from '../../protocol/index.js';
import { DEFAULT_TRUST_FILE, readAnchors } from './trust.js';

// Node-side helpers for the denouncer commands: files as re-readable SDK sources, the
// receipt from a safe channel (never argv), the pinned fingerprints in keys/.

export async function fileSource(path: string): Promise<FileSource> {
  const info = await stat(path).catch(() => {
    throw new CliError(`cannot read ${path}`);
  });
  if (!info.isFile()) throw new CliError(`${path} is not a file`);
  return { name: basename(path), size: info.size, open: () => createReadStream(path) as AsyncIterable<Uint8Array> };
}

export async function readAllStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of process.stdin) parts.push(piece as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export interface ReceiptOptions { receiptFile?: string }

export async function readReceipt(opts: ReceiptOptions): Promise<string> {
  const receipt = await readSecret({ ...(opts.receiptFile ? { file: opts.receiptFile } : {}), envVar: 'TIPLINE_RECEIPT', prompt: 'Receipt: ' });
  if (!receipt.trim()) throw new CliError('no receipt given');
  return receipt;
}

export interface AgencyPin {
  fingerprint: string;
  /** The lowest bundle serial to accept: the highest seen under this pin (rollback). */
  minSerial: number | undefined;
  /** Whether the pin is the trust file's, so a newer serial is remembered there. */
  kept: boolean;
  /** Keys the trust file revokes for this agency: refused whichever pin is used. */
  revoked: string[];
}

/**
 * The pin for an agency: --fingerprint, else the pin file (`tipline trust`). The serial
 * remembered in the file applies only to the key it was seen under.
 */
export async function agencyPin(slug: string, explicit?: string, trustFile = DEFAULT_TRUST_FILE): Promise<AgencyPin | undefined> {
  const anchors = await readAnchors(trustFile);
  const held = Object.hasOwn(anchors, slug) ? anchors[slug] : undefined;
  const fingerprint = explicit ?? held?.fingerprint;
  if (fingerprint === undefined) return undefined;
  const kept = held !== undefined && canonicalFingerprint(held.fingerprint) === canonicalFingerprint(fingerprint);
  return { fingerprint, minSerial: kept && held.serial > 0 ? held.serial : undefined, kept, revoked: held?.revoked ?? [] };
}
