/**
 * Finds the `zigimport` field of the package.json nearest to a folder. Looked up once per
 * folder per process: the cached-import path must stay cheap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ZigImportConfigError } from '../errors.js';

export interface PackageConfig {
  file: string;
  config: Record<string, unknown>;
}

const byFolder = new Map<string, PackageConfig | undefined>();

/** The nearest package.json at or above `folder`; its `zigimport` field (empty when absent). */
export function findPackageConfig(folder: string): PackageConfig | undefined {
  if (byFolder.has(folder)) return byFolder.get(folder);
  const file = path.join(folder, 'package.json');
  let found: PackageConfig | undefined;
  let text: string | undefined;
  // A folder without package.json costs one stat, not a thrown ENOENT (tens of µs each, and a
  // first import walks up to the root from a module outside any package).
  try {
    if (fs.statSync(file, { throwIfNoEntry: false }) !== undefined) text = fs.readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    const parent = path.dirname(folder);
    found = parent === folder ? undefined : findPackageConfig(parent);
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ZigImportConfigError(`${file} is not valid JSON: ${(err as Error).message}`);
    }
    const field = (parsed as { zigimport?: unknown } | null)?.zigimport ?? {};
    if (typeof field !== 'object' || field === null || Array.isArray(field)) {
      throw new ZigImportConfigError(`"zigimport" in ${file} must be an object of settings`);
    }
    found = { file, config: field as Record<string, unknown> };
  }
  byFolder.set(folder, found);
  return found;
}
