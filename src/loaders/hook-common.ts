/** The parts of the ESM resolve and load hooks that do not depend on sync vs async. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveSettings, overridesFromQuery, type SettingsOverrides } from '../config/settings.js';
import { isBareSpecifier, isZigSpecifier, resolveZigSpecifier } from './specifier.js';

/** A `.zig` specifier that the default resolver cannot find: a bare name from the include paths. */
export function resolveBareZig(specifier: string, parentURL: string | undefined): string | undefined {
  if (!isZigSpecifier(specifier) || !isBareSpecifier(specifier)) return undefined;
  const parent = parentURL?.startsWith('file:') ? fileURLToPath(parentURL) : undefined;
  const includePaths = resolveSettings(parent ? { file: parent } : {}).settings.includePaths;
  const { file, query } = resolveZigSpecifier(specifier, parent, includePaths);
  return pathToFileURL(file).href + (query ? `?${query}` : '');
}

/** For a `file:` URL of a .zig file: the path and the per-import settings in its query. */
export function zigUrlTarget(url: string): { file: string; overrides: SettingsOverrides } | undefined {
  if (!url.startsWith('file:') || !isZigSpecifier(url)) return undefined;
  const parsed = new URL(url);
  return { file: fileURLToPath(parsed), overrides: parsed.search ? overridesFromQuery(parsed.search.slice(1)) : {} };
}
