// `import { zigimportBunPlugin } from 'zigimport/bun'`: the CommonJS build, re-exported.
export * from '../bun.js';
