/**
 * The remote cache client: a shared HTTP cache for teams and CI (`remoteCache`,
 * `ZIGIMPORT_REMOTE_CACHE`), consulted only on a local miss and filled after a local compile.
 *
 * Protocol: Bazel's HTTP remote cache, so nginx with WebDAV `PUT`, bazel-remote or a bucket
 * behind HTTP serve it unchanged: `GET`/`PUT`/`HEAD` of `<base>/cas/<sha256>` (content: the
 * artifact's bytes, named by their SHA-256) and `<base>/ac/<sha256>` (the record for a key). The
 * record is zigimport's own JSON (`RemoteRecord`), not Bazel's protobuf ActionResult: no Bazel
 * client reads it, and the servers store it as opaque bytes. Basic auth comes from the URL's
 * userinfo, `Authorization: Bearer` from `ZIGIMPORT_REMOTE_CACHE_TOKEN` (never from package.json,
 * which is committed); the URL is shown only through `redactUrl`, everywhere.
 *
 * The key (`remoteKey`) must be known before the compile and be equal on two machines with the
 * same inputs and toolchain, so it holds no absolute path (the local entry key does): the cache
 * format, binding-layer hash, Zig version, optimize mode, target, in-source settings, the module's
 * path relative to its package root (nearest package.json folder, else its own folder) and the
 * SHA-256 of every file the static import scan finds (`collectInputs`). The record lists every
 * file the compiler read, relative to the root (or to the cache folder, for fetched packages),
 * with its SHA-256; a reader checks each against its own file before using the artifact, so a
 * file the scan cannot see (a package's source, a conditional `@embedFile`) still decides. The
 * artifact contains the builder's absolute paths (debug info, panic messages): traces of a
 * downloaded build show the builder's paths.
 *
 * HTTP runs in a child process (remote-exchange.ts) behind a `spawn` effect, so one generator
 * serves `require()` and `load()`; it costs a Node start and `fetch` (~90 ms) on a miss only: a
 * cached import never gets here. Every exchange is bounded by `remoteTimeout`; a failure (refused, timeout,
 * 5xx, refused credentials) counts, and after `MAX_FAILURES` the process stops asking.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../config/settings.js';
import type { ModuleOptions } from '../config/module-options.js';
import { spawn, type Op } from '../effects.js';
import { childProcess } from '../lazy.js';
import { targetId, type BuildTarget } from '../target.js';
import { ensurePrivateDir, sha256, sha256File } from './files.js';
import { collectInputs, type SourceInput } from './inputs.js';
import { bindingLayerHash, CACHE_FORMAT } from './key.js';
import type { ExchangeReply, ExchangeRequest } from './remote-exchange.js';

/** Names the record layout; part of the key, so a new layout never reads an old record. */
export const REMOTE_RECORD_FORMAT = 'zigimport-remote-1';
/** Failed exchanges after which this process stops using the remote cache. */
export const MAX_FAILURES = 3;
/** The largest artifact accepted from a server (a Debug build is ~10 MB). */
const MAX_ARTIFACT_BYTES = 512 * 2 ** 20;
/** An upload runs after the import, so it may take longer than a lookup. */
const UPLOAD_BUDGET_MS = 120_000;
const EXCHANGE_SCRIPT = path.join(__dirname, 'remote-exchange.js');
/** Prefix of a recorded path that lies under the cache folder (fetched Zig packages). */
const CACHE_PREFIX = '$cache/';

export interface RemoteEndpoint {
  /** The base URL without credentials or trailing slash. */
  base: string;
  authorization?: string;
}

/** The URL with any userinfo replaced by `***`: the only form in which a URL is ever shown. */
export function redactUrl(text: string): string {
  return text.replace(/\b(https?:\/\/)[^/@\s]*@/gi, '$1***@');
}

/** Base URL and `Authorization` value (token first, else the URL's userinfo as Basic). */
export function remoteEndpoint(url: string, env: NodeJS.ProcessEnv = process.env): RemoteEndpoint {
  const u = new URL(url);
  const token = env.ZIGIMPORT_REMOTE_CACHE_TOKEN;
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  const base = u.href.replace(/\/+$/, '');
  if (token) return { base, authorization: `Bearer ${token}` };
  if (user || password) return { base, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  return { base };
}

let failures = 0;

/** True once this process has seen `MAX_FAILURES` failed exchanges. */
export function remoteGivenUp(): boolean {
  return failures >= MAX_FAILURES;
}

/** The folder a module's recorded paths are relative to: its nearest package.json's, else its own. */
export function packageRoot(file: string): string {
  const own = path.dirname(file);
  for (let dir = own; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return own;
  }
}

/** Where paths are portable from: the package root, and the cache for fetched packages. */
export interface PathBase {
  root: string;
  cacheDir: string;
}

function portable(file: string, base: PathBase): string {
  const inCache = path.relative(base.cacheDir, file);
  if (!inCache.startsWith('..') && !path.isAbsolute(inCache)) return CACHE_PREFIX + inCache.split(path.sep).join('/');
  return path.relative(base.root, file).split(path.sep).join('/');
}

function local(recorded: string, base: PathBase): string {
  if (recorded.startsWith(CACHE_PREFIX)) return path.join(base.cacheDir, recorded.slice(CACHE_PREFIX.length));
  return path.resolve(base.root, recorded);
}

export interface RemoteKeyMaterial {
  file: string;
  zigVersion: string;
  optimize: Settings['optimize'];
  target: BuildTarget;
  module: ModuleOptions;
}

/** What a build must match to be used here; also the key's material. */
interface Identity {
  zig: string;
  optimize: string;
  target: string;
  binding: string;
}

function identityOf(m: RemoteKeyMaterial): Identity {
  return { zig: m.zigVersion, optimize: m.optimize, target: targetId(m.target), binding: bindingLayerHash() };
}

/** The remote key: the same on every machine with these inputs and this toolchain (see header). */
export function remoteKey(m: RemoteKeyMaterial, base: PathBase): string {
  const options = { ...m.module, cSources: m.module.cSources.map((f) => portable(f, base)), includePaths: m.module.includePaths.map((f) => portable(f, base)) };
  const inputs = collectInputs(m.file).map((i) => `${portable(i.path, base)}\0${i.sha256}`);
  return sha256(
    JSON.stringify({ format: CACHE_FORMAT, remote: REMOTE_RECORD_FORMAT, ...identityOf(m), file: portable(m.file, base), module: options, inputs }),
  );
}

/** The `ac/` record: what was built, from what, and the artifact blob's name. */
export interface RemoteRecord extends Identity {
  format: string;
  key: string;
  source: string;
  artifact: { sha256: string; size: number };
  inputs: SourceInput[];
  builtAt: string;
}

export function remoteRecord(key: string, m: RemoteKeyMaterial, base: PathBase, built: { sha256: string; size: number; inputs: SourceInput[] }): RemoteRecord {
  return {
    format: REMOTE_RECORD_FORMAT,
    key,
    ...identityOf(m),
    source: portable(m.file, base),
    artifact: { sha256: built.sha256, size: built.size },
    inputs: built.inputs.map((i) => ({ path: portable(i.path, base), sha256: i.sha256 })),
    builtAt: new Date().toISOString(),
  };
}

/** The static inputs the key was computed from must be what the compiler read, or the record would lie. */
export function recordMatchesKey(m: RemoteKeyMaterial, read: SourceInput[]): boolean {
  const compiled = new Map(read.map((i) => [i.path, i.sha256]));
  return collectInputs(m.file).every((i) => !compiled.has(i.path) || compiled.get(i.path) === i.sha256);
}

/**
 * Checks a downloaded record and blob against this machine: the key and identity it was asked
 * for, the blob's SHA-256 and size, and every recorded input against the local file. Returns the
 * inputs as local paths, or why it must not be used.
 */
export function verifyDownload(
  record: RemoteRecord,
  key: string,
  m: RemoteKeyMaterial,
  base: PathBase,
  blobFile: string,
): { inputs: SourceInput[] } | { reason: string } {
  const want: Record<string, string> = { format: REMOTE_RECORD_FORMAT, key, ...identityOf(m) };
  for (const [field, value] of Object.entries(want)) {
    if ((record as unknown as Record<string, unknown>)[field] !== value) return { reason: `record's ${field} is not this build's` };
  }
  if (!Array.isArray(record.inputs) || record.inputs.length === 0) return { reason: 'record lists no inputs' };
  const size = fs.statSync(blobFile).size;
  if (size !== record.artifact.size || sha256File(blobFile) !== record.artifact.sha256) {
    return { reason: 'artifact SHA-256 or size does not match its record (tampered or corrupted)' };
  }
  const inputs: SourceInput[] = [];
  for (const input of record.inputs) {
    if (typeof input?.path !== 'string' || typeof input.sha256 !== 'string') return { reason: 'record has a malformed input' };
    const file = local(input.path, base);
    let actual = 'missing';
    try {
      actual = sha256(fs.readFileSync(file));
    } catch {
      // A file the builder read that this machine lacks: the hashes differ.
    }
    if (actual !== input.sha256) return { reason: `input ${input.path} differs from the builder's` };
    inputs.push({ path: file, sha256: actual });
  }
  return { inputs };
}

/** Environment for the exchange process: no hooks preloaded (NODE_OPTIONS) to slow it down. */
function exchangeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.ZIGIMPORT_REMOTE_CACHE_TOKEN; // it travels in the request, not the environment
  return env;
}

/** Runs one exchange within `budgetMs`; a failure counts toward giving up. */
export function* exchange(request: ExchangeRequest, cwd: string): Op<ExchangeReply> {
  const r = yield* spawn({
    command: process.execPath,
    args: [EXCHANGE_SCRIPT],
    cwd,
    input: Buffer.from(JSON.stringify(request)),
    timeoutMs: request.budgetMs,
    stopSignal: 'SIGKILL',
    env: exchangeEnv(),
  });
  let reply: ExchangeReply;
  if (r.timedOut) reply = { outcome: 'failed', why: `no answer within ${request.budgetMs} ms` };
  else {
    try {
      reply = JSON.parse(r.stdout.toString()) as ExchangeReply;
    } catch {
      reply = { outcome: 'failed', why: `exchange process ended without a reply (${r.error?.message ?? `exit ${r.code ?? r.signal}`})` };
    }
  }
  if (reply.outcome === 'failed') {
    failures++;
    reply = { outcome: 'failed', why: redactUrl(reply.why) };
  }
  return reply;
}

/** A request for a lookup: the record for `key`, and its artifact into `blobFile`. */
export function lookupRequest(endpoint: RemoteEndpoint, settings: Settings, key: string, blobFile: string): ExchangeRequest {
  return { op: 'get', ...endpoint, budgetMs: settings.remoteTimeout * 1000, key, blobFile, maxBytes: MAX_ARTIFACT_BYTES };
}

export function uploadRequest(endpoint: RemoteEndpoint, key: string, record: RemoteRecord, artifactFile: string): ExchangeRequest {
  return { op: 'put', ...endpoint, budgetMs: UPLOAD_BUDGET_MS, key, record, artifactFile };
}

export function pingRequest(endpoint: RemoteEndpoint, settings: Settings): ExchangeRequest {
  return { op: 'ping', ...endpoint, budgetMs: settings.remoteTimeout * 1000 };
}

/**
 * Starts an upload that outlives nothing it should not: a detached process with no pipes, not
 * waited for (`unref`), so the import returns at once and the parent may exit meanwhile. The
 * request (with the credentials) goes through a private file that the process deletes on start.
 */
export function uploadInBackground(request: ExchangeRequest, cacheDir: string): void {
  const dir = path.join(cacheDir, 'tmp');
  ensurePrivateDir(dir);
  const file = path.join(dir, `upload-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(request), { mode: 0o600 });
  const child = childProcess().spawn(process.execPath, [EXCHANGE_SCRIPT, file], { detached: true, stdio: 'ignore', env: exchangeEnv(), cwd: dir });
  child.on('error', () => fs.rmSync(file, { force: true }));
  child.unref();
}
