import { Option, type Command } from 'commander';
import { agencyPublications, caseRef, publishConclusion, withdrawConclusion } from '../../client/staff-publication.js';
import { CliError, emit, table } from '../common/output.js';
import { run } from '../staff/run.js';
import { client, withSession, type SessionOptions } from './reports.js';
import { textOption } from './text-input.js';

// `tipline case publish`, `tipline publications list | withdraw`: the public summary of
// a conclusion (Decree 31/2019 Art. 6). Publishing is public and at least 15 days long,
// so the command shows what would go out and publishes only with --yes.

const WARNING = [
  'WARNING: this summary will be PUBLISHED. Anyone can read it, without signing in, at GET /v1/publications,',
  'for at least 15 consecutive days. It must contain nothing about the denouncer: no name, address, contact,',
  'workplace or detail from which they could be recognised.',
].join('\n');

export function registerPublications(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');
  withSession(kase.command('publish').description("publish a concluded case's summary — PUBLIC (supervisors, Decree 31 Art. 6)"))
    .argument('<case>', 'case id or public number (TL-…)')
    .option('--summary-file <file>', 'the summary to publish, plain text as written')
    .option('--summary <text>', 'the summary inline')
    .option('--yes', 'publish: without it the command only shows the summary and the warning')
    .action(run(async (ref: string, o: SessionOptions & { summary?: string; summaryFile?: string; yes?: boolean }) => {
      const summary = await textOption('summary', o.summary, o.summaryFile);
      if (!summary) throw new CliError('give the summary with --summary-file <file> (or --summary "text")');
      process.stderr.write(`${WARNING}\n`);
      if (!o.yes) {
        process.stderr.write(`\n--- would publish ---\n${summary}\n---\nNothing was published. Re-run with --yes to publish it.\n`);
        throw new CliError('not published (no --yes)', 2);
      }
      const http = await client(o);
      const r = await publishConclusion(http, await caseRef(http, ref), summary);
      emit(o, r, () => `${r.publicNumber}: PUBLISHED on ${r.publishedOn}; may be taken down from ${r.earliestTakeDown}`);
    }));

  const publications = program.command('publications').description('published conclusions of your agency (Decree 31 Art. 6)');
  withSession(publications.command('list').description('publications on display or withdrawn (supervisors, auditors)'))
    .addOption(new Option('--state <state>', 'only these').choices(['published', 'withdrawn']))
    .action(run(async (o: SessionOptions & { state?: 'published' | 'withdrawn' }) => {
      const r = await agencyPublications(await client(o), o.state);
      emit(o, r, () => table(['case', 'state', 'published', 'earliest take-down', 'withdrawn', 'summary'],
        r.publications.map((p) => [p.publicNumber, p.state, p.publishedOn, p.earliestTakeDown, p.withdrawnOn, p.summary.replace(/\s+/g, ' ').slice(0, 60)])));
    }));

  withSession(publications.command('withdraw').description('take a summary down, no earlier than its 15th day (supervisors)'))
    .argument('<case>', 'case id or public number (TL-…)')
    .action(run(async (ref: string, o: SessionOptions) => {
      const http = await client(o);
      const r = await withdrawConclusion(http, await caseRef(http, ref));
      emit(o, r, () => `${r.publicNumber}: taken down on ${r.withdrawnOn ?? ''} (published ${r.publishedOn})`);
    }));
}
