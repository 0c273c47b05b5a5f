// One status line on stderr, rewritten in place, so a long run shows it is alive
// without flooding a log. Plain lines when stderr is not a terminal.

let last = '';
let lastPlainAt = 0;

export function progress(text: string): void {
  if (process.stderr.isTTY) {
    const line = text.length > 110 ? `${text.slice(0, 107)}...` : text;
    process.stderr.write(`\r${line.padEnd(last.length)}`);
    last = line;
    return;
  }
  // Not a terminal (CI, a pipe): at most one line every five seconds.
  const now = Date.now();
  if (now - lastPlainAt >= 5000) {
    process.stderr.write(`${text}\n`);
    lastPlainAt = now;
  }
}

/** Ends the progress line with a final message on its own line. */
export function done(text: string): void {
  if (process.stderr.isTTY && last) process.stderr.write(`\r${''.padEnd(last.length)}\r`);
  last = '';
  lastPlainAt = 0;
  process.stderr.write(`${text}\n`);
}
