/**
 * The CommonJS entry (`require('zigimport')`): the public API, which lives in `api.ts`.
 */
export * from './api.js';
