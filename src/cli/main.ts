#!/usr/bin/env node
import { runTipline } from './program.js';

// The `tipline` command for a shell (program.ts). A command that succeeds ends when its
// work does (`serve` keeps running); one that fails exits with its code.

const code = await runTipline(process.argv);
if (code !== 0) process.exit(code);
