import { loadSodiumBackend } from '../../protocol/sodium.js';
import { serveSolver } from './pow-solver.js';

// The Worker for pages running libsodium: BLAKE2b in WebAssembly, about ten times the
// pure-JavaScript rate (docs/PERFORMANCE.md), at the cost of its own copy of libsodium.
serveSolver(loadSodiumBackend());
