// The environment of one hermetic test run (used by scripts/test.mjs, and by test/helpers.mjs when
// a test file is run on its own): a fresh run folder holds the HOME, the temporary folders and the
// shared zigimport build folder of the run, so nothing left over by an earlier run can make a test
// pass. Only content-addressed download and compiler caches are shared with the real HOME: Zig's
// global cache (a fresh one recompiles Zig's std for seconds per mode) and npm's package cache.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Names the runner passes to the test processes. */
export const RUN_DIR_VAR = 'ZIGIMPORT_TEST_RUN_DIR';
export const KEEP_VAR = 'ZIGIMPORT_KEEP_TEST_DIR';
/** The real user's zigimport folder, whose `toolchains/` hold the Zig releases tests may compare. */
export const TOOLCHAINS_HOME_VAR = 'ZIGIMPORT_TEST_TOOLCHAINS_HOME';

/** Folders inside a run folder. */
export const runLayout = (runDir) => ({
  home: path.join(runDir, 'home'),
  tmp: path.join(runDir, 'tmp'),
  build: path.join(runDir, 'build'),
});

/** A new run folder with its layout created. */
export function createRunDir() {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigimport-test-run-'));
  for (const dir of Object.values(runLayout(runDir))) fs.mkdirSync(dir, { recursive: true });
  return runDir;
}

const WINDOWS = process.platform === 'win32';

/** The real user's home in `env`. */
function realHome(env) {
  return (WINDOWS ? env.USERPROFILE : env.HOME) || os.homedir();
}

/** Zig's global cache of the real user, where `zig` looks when ZIG_GLOBAL_CACHE_DIR is unset. */
function realZigGlobalCache(env) {
  if (env.ZIG_GLOBAL_CACHE_DIR) return env.ZIG_GLOBAL_CACHE_DIR;
  if (WINDOWS) return path.join(env.LOCALAPPDATA || path.join(realHome(env), 'AppData', 'Local'), 'zig');
  return path.join(env.XDG_CACHE_HOME || path.join(realHome(env), '.cache'), 'zig');
}

/** npm's package cache and user config of the real user (npm finds both from HOME by default). */
function realNpmSettings(env) {
  const cache = env.npm_config_cache || (WINDOWS ? path.join(env.LOCALAPPDATA || realHome(env), 'npm-cache') : path.join(realHome(env), '.npm'));
  return { npm_config_cache: cache, npm_config_userconfig: env.npm_config_userconfig || path.join(realHome(env), '.npmrc') };
}

/**
 * Settings of an outer `npm test` that must not leak into the npm commands tests run (they would
 * act on this repository's package instead of the test's scratch project).
 */
const OUTER_NPM =
  /^npm_(lifecycle_|package_|config_(local_prefix|prefix|global|omit|include|production|install_links|workspaces?|save.*|dry_run|ignore_scripts)$)/i;

/**
 * The environment of a run in `runDir`, from `env` (read with the real HOME still in place): a
 * fresh HOME (so `~/.zigimport` is empty), temporary folders inside the run, the Zig to use
 * (`zig`: found before HOME is replaced, so installed toolchains stay reachable) and no
 * inherited build folder.
 */
export function hermeticEnv(env, runDir, zig) {
  const { home, tmp } = runLayout(runDir);
  const out = { ...env };
  for (const key of Object.keys(out)) if (OUTER_NPM.test(key) || /^XDG_\w+_HOME$/.test(key)) delete out[key];
  delete out.ZIGIMPORT_BUILD_DIR;
  return {
    ...out,
    ...realNpmSettings(env),
    ZIG_GLOBAL_CACHE_DIR: realZigGlobalCache(env),
    HOME: home,
    USERPROFILE: home,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
    [RUN_DIR_VAR]: runDir,
    ZIGIMPORT_ZIG: zig,
    // Tests that compare Zig releases look for them in the real HOME's zigimport folder.
    [TOOLCHAINS_HOME_VAR]: env[TOOLCHAINS_HOME_VAR] || path.join(realHome(env), '.zigimport'),
  };
}

/** Removes a run folder unless ZIGIMPORT_KEEP_TEST_DIR=1; returns a line saying what happened. */
export function finishRunDir(runDir, env = process.env) {
  if (env[KEEP_VAR] === '1') return `test run folder kept: ${runDir}`;
  try {
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch (err) {
    return `could not remove the test run folder ${runDir}: ${err.message}`;
  }
}
