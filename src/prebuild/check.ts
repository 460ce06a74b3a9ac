/**
 * `zigimport prebuild --check` (for `prepublishOnly`): the package's shipped prebuilds cover
 * every module and every chosen platform, their artifacts exist, and the sources still hash as
 * recorded. Each problem is one line naming what to run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planPrebuild, platformFolder, type PrebuildOptions } from './build.js';
import { changedSources, readManifest, relativeToPackage } from './manifest.js';

export function checkPrebuilds(options: PrebuildOptions = {}): { root: string; problems: string[]; checked: number } {
  const plan = planPrebuild(options);
  const manifest = readManifest(plan.root);
  if (!manifest) return { root: plan.root, problems: ['no prebuilds/zigimport-prebuilds.json: run `zigimport prebuild`'], checked: 0 };
  const problems: string[] = [];
  let checked = 0;
  for (const file of plan.modules) {
    const rel = relativeToPackage(plan.root, file)!;
    const mod = manifest.modules[rel];
    if (!mod) {
      problems.push(`${rel}: no prebuilds`);
      continue;
    }
    const changed = changedSources(plan.root, mod);
    if (changed.length > 0) problems.push(`${rel}: sources changed since the prebuild (${changed.join(', ')})`);
    for (const platform of plan.platforms) {
      const name = mod.builds[platform.key];
      const folder = platformFolder({ root: plan.root, layout: manifest.layout }, platform);
      if (!name && plan.wasmOptional && mod.unavailable?.[platform.key]) continue; // `all`, and the backend cannot build it
      if (!name) problems.push(`${rel}: no prebuild for ${platform.key}`);
      else if (!fs.existsSync(path.join(folder, ...name.split('/')))) problems.push(`${rel}: ${platform.key} artifact missing (${name})`);
      else checked++;
    }
  }
  return { root: plan.root, problems, checked };
}
