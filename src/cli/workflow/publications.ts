import { Option, type Command } from 'commander';
import { publicationForms, type PublicationForm } from '../../domain/index.js';
import { agencyPublications, caseRef, publishConclusion, withdrawConclusion } from '../../client/staff-publication.js';
import { CliError, emit, table } from '../common/output.js';
import { run } from '../staff/run.js';
import { client, withSession, type SessionOptions } from './reports.js';
import { textOption } from './text-input.js';

// `tipline case publish`, `tipline publications list | withdraw`: the public summary of
// a conclusion (Law Art. 40; Decree 31/2019 Art. 6), in one of its forms. Publishing is
// public, so the command shows what would go out and publishes only with --yes.

const WARNING = [
  'WARNING: this summary will be PUBLISHED. Anyone can read it: on the portal without signing in, at',
  'GET /v1/publications, for at least 15 consecutive days; in the other forms where they put it. It must',
  'contain nothing about the denouncer: no name, address, contact, workplace or detail from which they',
  'could be recognised.',
].join('\n');

const formOption = () => new Option('--form <form>', 'the form of Decree 31 Art. 6(2) (default: portal)').choices(publicationForms);

export function registerPublications(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');
  withSession(kase.command('publish').description("publish a concluded case's summary — PUBLIC (supervisors, Decree 31 Art. 6)"))
    .argument('<case>', 'case id or public number (TL-…)')
    .option('--summary-file <file>', 'the summary to publish, plain text as written')
    .option('--summary <text>', 'the summary inline')
    .addOption(formOption())
    .option('--runs <n>', 'print, radio, TV: the consecutive runs ordered (at least 2)')
    .option('--yes', 'publish: without it the command only shows the summary and the warning')
    .action(run(async (ref: string, o: SessionOptions & { summary?: string; summaryFile?: string; yes?: boolean; form?: PublicationForm; runs?: string }) => {
      const summary = await textOption('summary', o.summary, o.summaryFile);
      if (!summary) throw new CliError('give the summary with --summary-file <file> (or --summary "text")');
      process.stderr.write(`${WARNING}\n`);
      if (!o.yes) {
        process.stderr.write(`\n--- would publish ---\n${summary}\n---\nNothing was published. Re-run with --yes to publish it.\n`);
        throw new CliError('not published (no --yes)', 2);
      }
      const http = await client(o);
      if (o.runs !== undefined && !/^\d+$/.test(o.runs)) throw new CliError('--runs is a whole number');
      const r = await publishConclusion(http, await caseRef(http, ref), summary, { form: o.form, runs: o.runs === undefined ? undefined : Number(o.runs) });
      emit(o, r, () => `${r.publicNumber}: PUBLISHED on ${r.publishedOn}; may be taken down from ${r.earliestTakeDown} (${r.form}${r.runs ? `, ${r.runs} runs` : ''})`);
    }));

  const publications = program.command('publications').description('published conclusions of your agency (Decree 31 Art. 6)');
  withSession(publications.command('list').description('publications on display or withdrawn (supervisors, auditors)'))
    .addOption(new Option('--state <state>', 'only these').choices(['published', 'withdrawn']))
    .action(run(async (o: SessionOptions & { state?: 'published' | 'withdrawn' }) => {
      const r = await agencyPublications(await client(o), o.state);
      emit(o, r, () => table(['case', 'state', 'form', 'published', 'earliest take-down', 'withdrawn', 'summary'],
        r.publications.map((p) => [p.publicNumber, p.state, p.form, p.publishedOn, p.earliestTakeDown, p.withdrawnOn, p.summary.replace(/\s+/g, ' ').slice(0, 60)])));
    }));

  withSession(publications.command('withdraw').description('take a summary down, no earlier than the end of its display (supervisors)'))
    .argument('<case>', 'case id or public number (TL-…)')
    .addOption(formOption())
    .action(run(async (ref: string, o: SessionOptions & { form?: PublicationForm }) => {
      const http = await client(o);
      const r = await withdrawConclusion(http, await caseRef(http, ref), o.form);
      emit(o, r, () => `${r.publicNumber}: taken down on ${r.withdrawnOn ?? ''} (published ${r.publishedOn})`);
    }));
}
