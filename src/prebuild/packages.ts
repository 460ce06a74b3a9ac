/**
 * The napi-rs style layout (`zigimport prebuild --layout packages`): one npm package per
 * platform under `npm/<platform>/`, which npm installs only where its `os`, `cpu` and `libc`
 * fields match, listed in the main package's `optionalDependencies` at the main package's version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Platform } from './platforms.js';

/** What the platform packages are made from. */
export interface PackageSet {
  root: string;
  packageName: string;
  packageVersion: string;
  platforms: Platform[];
}

/** `@scope/name` + `linux-x64-glibc` → `@scope/name-linux-x64-glibc`. */
export function platformPackageName(packageName: string, platformKey: string): string {
  return `${packageName}-${platformKey}`;
}

/**
 * Writes each platform package's package.json (its artifacts are already in its folder) and the
 * main package.json's `optionalDependencies`; returns platform key → package name.
 */
export function writePlatformPackages(plan: PackageSet): Record<string, string> {
  const names: Record<string, string> = {};
  // The WebAssembly build is no npm platform: it stays in the main package.
  for (const p of plan.platforms.filter((q) => !q.portable)) {
    const name = platformPackageName(plan.packageName, p.key);
    names[p.key] = name;
    const json = {
      name,
      version: plan.packageVersion,
      description: `${plan.packageName}'s prebuilt Node-API addons for ${p.key} (made by zigimport prebuild)`,
      os: [p.os],
      cpu: [p.cpu],
      ...(p.libc ? { libc: [p.libc] } : {}),
      files: ['**/*.node'],
    };
    fs.writeFileSync(path.join(plan.root, 'npm', p.key, 'package.json'), `${JSON.stringify(json, null, 2)}\n`);
  }
  const mainFile = path.join(plan.root, 'package.json');
  const main = JSON.parse(fs.readFileSync(mainFile, 'utf8')) as { optionalDependencies?: Record<string, string> };
  main.optionalDependencies = { ...main.optionalDependencies };
  for (const name of Object.values(names)) main.optionalDependencies[name] = plan.packageVersion;
  fs.writeFileSync(mainFile, `${JSON.stringify(main, null, 2)}\n`);
  return names;
}
