/**
 * Node's types in the form the published declarations may name them. zigimport's declarations
 * must type-check in a project without @types/node (TypeScript 5 and 7, `skipLibCheck: false`;
 * issue 14), and every file reachable from `src/api.ts` ships in them: naming the global `Buffer`
 * or the `NodeJS` namespace there fails with "Cannot find name 'Buffer'". These aliases are Node's
 * own types wherever @types/node is loaded (this package's build, most users) and plain ones
 * where it is not. test/typescript-consumers.test.mjs checks the published declarations.
 */

/** A Node `Buffer` with @types/node, a `Uint8Array` without. */
export type NodeBuffer = typeof globalThis extends { Buffer: { prototype: infer B } } ? B : Uint8Array;

/** An environment such as `process.env`. */
export type Environment = Record<string, string | undefined>;

/** The signals zigimport sends to stop a process (a subset of Node's `NodeJS.Signals`). */
export type StopSignal = 'SIGTERM' | 'SIGKILL';
