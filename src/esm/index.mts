// ESM entry: re-exports the CommonJS runtime so that ESM and CommonJS users share one instance
// (one registry of loaded modules, one set of hooks). The names come from the CommonJS module as
// Node's cjs-module-lexer sees them, so this file never lists them (test/public-api checks it).
export * from '../api.js';
