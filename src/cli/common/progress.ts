import cliProgress from 'cli-progress';

// Progress for long work (uploads, downloads, migrations), drawn on stderr so that
// stdout stays clean for --json. Silent when stderr is not a terminal.

export interface Progress { update(done: number): void; stop(): void }

export function progressBar(label: string, total: number, unit: 'bytes' | 'items' = 'bytes'): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const fmt = (v: number) => (unit === 'bytes' ? `${(v / 1048576).toFixed(1)} MiB` : String(v));
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {doneText} / {totalText}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { doneText: fmt(0), totalText: fmt(total) });
  return {
    update: (done) => bar.update(done, { doneText: fmt(done), totalText: fmt(total) }),
    stop: () => bar.stop(),
  };
}
