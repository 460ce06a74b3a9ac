/**
 * The parts of the hooks that do not depend on sync vs async, and the one door to the import
 * pipeline: it is loaded on the first `.zig` specifier, so a process that registers the hooks
 * (every npm-script process after `zigimport enable`) but imports no Zig pays almost nothing.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as LoadModule from './load.js';
import type * as SettingsModule from '../config/settings.js';
import type * as EsmSourceModule from './esm-source.js';
import type { SettingsOverrides } from '../config/settings.js';
import { isBareSpecifier, isZigSpecifier, resolveZigSpecifier } from './specifier.js';

/** The loader, settings and ESM source generator, required on first use. */
export function pipeline(): { load: typeof LoadModule; settings: typeof SettingsModule; esm: typeof EsmSourceModule } {
  return {
    load: require('./load.js') as typeof LoadModule,
    settings: require('../config/settings.js') as typeof SettingsModule,
    esm: require('./esm-source.js') as typeof EsmSourceModule,
  };
}

/** A `.zig` specifier that the default resolver cannot find: a bare name from the include paths. */
export function resolveBareZig(specifier: string, parentURL: string | undefined): string | undefined {
  if (!isZigSpecifier(specifier) || !isBareSpecifier(specifier)) return undefined;
  const parent = parentURL?.startsWith('file:') ? fileURLToPath(parentURL) : undefined;
  // Settings of the importer's folder, not of the importer's file: its source is not ours to read.
  const includePaths = () => pipeline().load.includePathsFor(parent && path.dirname(parent));
  const { file, query } = resolveZigSpecifier(specifier, parent, includePaths);
  return pathToFileURL(file).href + (query ? `?${query}` : '');
}

/** For a `file:` URL of a .zig file: the path and the per-import settings in its query. */
export function zigUrlTarget(url: string): { file: string; overrides: SettingsOverrides } | undefined {
  if (!url.startsWith('file:') || !isZigSpecifier(url)) return undefined;
  const parsed = new URL(url);
  return { file: fileURLToPath(parsed), overrides: parsed.search ? pipeline().settings.overridesFromQuery(parsed.search.slice(1)) : {} };
}
