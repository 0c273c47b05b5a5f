import { nobleBackend } from '../../protocol/noble.js';
import { serveSolver } from './pow-solver.js';

// The Worker for pages without WebAssembly: BLAKE2b from @noble/hashes, a few kB.
serveSolver(Promise.resolve(nobleBackend));
