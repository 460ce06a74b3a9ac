// Child-process builder: builds the .zig file (argv[2]) for a target (argv[3]: `host`, `wasm` or a
// Zig triple) through the pipeline's own entry point, sync or async (argv[4]: `sync`|`async`),
// then tries to load the artifact. Prints one JSON line:
// { ok, key, entry, artifact, cached, target, load: { ok } | { code, message } }
// or { ok: false, name, code, message }.
const { ensureBuild, ensureBuildSync } = require('../../dist/pipeline/ensure.js');
const { resolveSettings } = require('../../dist/config/settings.js');
const { hostTarget, loadArtifact, nodeApiTarget } = require('../../dist/target.js');
const { createLog } = require('../../dist/log.js');

const [file, spec = 'host', mode = 'async'] = process.argv.slice(2);

function target() {
  if (spec === 'host') return hostTarget();
  if (spec === 'wasm') return { kind: 'wasm' };
  return nodeApiTarget(spec);
}

function tryLoad(build) {
  try {
    const mod = { exports: {} };
    loadArtifact(build.target, mod, build.artifact);
    return { ok: true, keys: Object.keys(mod.exports) };
  } catch (err) {
    return { ok: false, code: err.code, message: err.message };
  }
}

async function main() {
  try {
    const { settings, module } = resolveSettings({ file });
    const log = createLog(settings.verbose, file);
    const build = mode === 'sync' ? ensureBuildSync(file, settings, module, log, target()) : await ensureBuild(file, settings, module, log, target());
    const { key, artifact, cached, manifest } = build;
    process.stdout.write(`${JSON.stringify({ ok: true, key, entry: manifest.entry, artifact, cached, target: manifest.target, load: tryLoad(build) })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ ok: false, name: err.name, code: err.code, message: err.message })}\n`);
    process.exitCode = 1;
  }
}
main();
