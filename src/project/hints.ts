/**
 * What to do next, added under a compile error that comes from a module's package setup: an
 * import of a package nobody declared, a `-D` option no hook declares, a failed `zig build`.
 */
import * as path from 'node:path';
import type { ZigDiagnostic } from '../errors.js';
import type { ZigProject } from './find.js';

const NO_MODULE = /^no module named '([^']+)' available within module '?user'?/;

export function packageHints(file: string, diagnostics: ZigDiagnostic[], project: ZigProject | undefined): string[] {
  const hints: string[] = [];
  for (const d of diagnostics) {
    const name = NO_MODULE.exec(d.message)?.[1];
    if (!name) continue;
    if (!project?.manifest) {
      hints.push(
        `hint: to import the package '${name}', declare it in a build.zig.zon in ${path.dirname(file)} or a parent folder ` +
          `(\`zig fetch --save=${name} <url>\` writes one entry; a local one is \`.${name} = .{ .path = "..." }\`).`,
      );
    } else if (!project.dependencies.some((dep) => dep.name === name)) {
      hints.push(
        `hint: '${name}' is not a dependency in ${project.manifest}; add it there (\`zig fetch --save=${name} <url>\`) or add the module in a build.zig hook.`,
      );
    }
  }
  return hints;
}

/** The first line of a failed configure step's message. */
export function configureHeader(file: string, project: ZigProject): string {
  const parts = [project.manifest, project.hook].filter(Boolean).join(' and ');
  return `zig build could not set up the build of ${file}${parts ? ` (from ${parts})` : ''}:`;
}

/** Under an unknown `-D` option: where defines come from and who must declare them. */
export function defineHint(stderr: string, project: ZigProject): string[] {
  if (!/invalid option: /.test(stderr) || project.defines.length === 0) return [];
  return [
    `hint: define= in the module's //! zigimport: line passes ${project.defines.map((d) => `-D${d}`).join(' ')}; ` +
      `each option must be declared with b.option() in the build.zig hook${project.hook ? ` (${project.hook})` : ', and this module has none'}.`,
  ];
}
