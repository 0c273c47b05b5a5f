import type { ReportFigures } from '../client/staff-oversight.js';
import { verifiedModuleUrl } from '../web/lazy.js';

// The report's .xlsx, made in the page by the chunk index.html pins (bundle-names.ts).
// The chunk is imported only after the browser has checked its bytes against that hash:
// a chunk the server altered fails the check, is never run, and the export says so
// (UnverifiedChunkError), as the denouncer page refuses its own chunks.

type XlsxChunk = typeof import('./xlsx-chunk.js');
let loaded: Promise<XlsxChunk> | null = null;

function chunk(): Promise<XlsxChunk> {
  loaded ??= verifiedModuleUrl('xlsx').then((url) => import(url) as Promise<XlsxChunk>);
  // A refused load is not kept: the next attempt checks again.
  loaded.catch(() => { loaded = null; });
  return loaded;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function reportWorkbook(figures: ReportFigures, agency: string): Promise<Blob> {
  const { reportXlsx } = await chunk();
  return new Blob([await reportXlsx(figures, agency)], { type: XLSX_TYPE });
}
