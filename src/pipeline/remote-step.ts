/**
 * The remote cache's two steps in a build (src/cache/remote.ts is the client): on a local miss,
 * under the build's lock and before the compile, fetch a build from the remote cache and publish
 * it into the local store; after a local compile, upload it. Both are skipped when no remote is
 * set or this process gave up on it, and neither can fail an import: every failure is a verbose
 * line and the import goes on locally.
 *
 * A downloaded artifact goes through `publishBuild` like a compiled one, so every local guarantee
 * holds for it (private file, manifest as commit marker, identity and checksum on every lookup,
 * eviction), and it is recorded as the entry's build: the next import is an ordinary local hit
 * that starts no process and makes no request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Settings } from '../config/settings.js';
import { performSync, type Op } from '../effects.js';
import type { StepLog } from '../log.js';
import { artifactKey, bindingLayerHash } from '../cache/key.js';
import { ensurePrivateDir } from '../cache/files.js';
import { publishBuild, recordLatest, writeEntry, type BuildManifest } from '../cache/store.js';
import { enforceCacheLimit } from '../cache/evict.js';
import {
  exchange,
  lookupRequest,
  packageRoot,
  pingRequest,
  recordMatchesKey,
  redactUrl,
  remoteEndpoint,
  remoteGivenUp,
  remoteKey,
  remoteRecord,
  uploadInBackground,
  uploadRequest,
  verifyDownload,
  type PathBase,
  type RemoteEndpoint,
  type RemoteKeyMaterial,
  type RemoteRecord,
} from '../cache/remote.js';

/** A remote lookup planned for one build: where, under which key, relative to what. */
export interface RemotePlan {
  endpoint: RemoteEndpoint;
  shown: string;
  key: string;
  base: PathBase;
  material: RemoteKeyMaterial;
}

/** The plan for a build on a local miss, or undefined when the remote cache is off. */
export function planRemote(settings: Settings, material: RemoteKeyMaterial, log: StepLog): RemotePlan | undefined {
  if (!settings.remoteCache) return undefined;
  const shown = redactUrl(settings.remoteCache);
  if (remoteGivenUp()) {
    log.info(`remote cache ${shown} skipped: it failed repeatedly in this process`);
    return undefined;
  }
  const base = { root: packageRoot(material.file), cacheDir: settings.cacheDir };
  const key = log.time('remote key', () => remoteKey(material, base));
  return { endpoint: remoteEndpoint(settings.remoteCache), shown, key, base, material };
}

/** What a remote hit publishes: the same fields a compile would record. */
export interface RemoteHitTarget {
  settings: Settings;
  entry: string;
  target: RemoteKeyMaterial['target'];
}

/** A remote lookup's result: the published build, or why there is none (`failed`: the server did not serve). */
export type RemoteFetch = { hit: { key: string; manifest: BuildManifest; artifact: string } } | { hit?: undefined; failed: boolean };

/**
 * Downloads and verifies the build for `plan.key`, publishes it locally and records it as the
 * entry's build. Without a hit (the reason logged) a local compile follows.
 */
export function* fetchRemoteBuild(plan: RemotePlan, into: RemoteHitTarget, log: StepLog): Op<RemoteFetch> {
  const { settings } = into;
  const dir = path.join(settings.cacheDir, 'tmp');
  ensurePrivateDir(dir);
  const blobFile = path.join(dir, `remote-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.blob`);
  const started = performance.now();
  try {
    const reply = yield* exchange(lookupRequest(plan.endpoint, settings, plan.key, blobFile), dir);
    const ms = performance.now() - started;
    if (reply.outcome !== 'hit') {
      const why = reply.outcome === 'miss' || reply.outcome === 'failed' ? reply.why : reply.outcome;
      log.step(reply.outcome === 'failed' ? 'remote cache failed' : 'remote cache miss', ms, `${why} (${plan.shown})`);
      return { failed: reply.outcome === 'failed' };
    }
    const checked = verifyDownload(reply.record as RemoteRecord, plan.key, plan.material, plan.base, blobFile);
    if ('reason' in checked) {
      log.step('remote cache rejected', ms, `${checked.reason}; compiling locally`);
      return { failed: false };
    }
    const record = reply.record as RemoteRecord;
    const key = artifactKey(into.entry, checked.inputs);
    const published = publishBuild(settings.cacheDir, blobFile, into.target, {
      key,
      entry: into.entry,
      source: plan.material.file,
      inputs: checked.inputs,
      zig: { version: plan.material.zigVersion, path: `remote cache ${plan.shown}` },
      optimize: settings.optimize,
      binding: bindingLayerHash(),
      builtAt: record.builtAt,
      buildMs: 0,
    });
    writeEntry(settings.cacheDir, into.entry, { key, inputs: checked.inputs });
    recordLatest(settings.cacheDir, plan.material.file, settings.optimize, into.target, key);
    enforceCacheLimit(settings.cacheDir, settings.cacheMax, { key });
    log.step('remote cache hit', performance.now() - started, `${reply.bytes} bytes from ${plan.shown}, verified`);
    return { hit: { key, ...published } };
  } finally {
    fs.rmSync(blobFile, { force: true });
  }
}

/**
 * Uploads a fresh local build, unless the cache is read-only or the build's inputs are not the
 * ones the key was computed from. `wait`: the upload is part of the operation (`zigimport build`);
 * otherwise it runs in a detached process and the import does not wait for it.
 */
export function* uploadBuild(plan: RemotePlan, settings: Settings, manifest: BuildManifest, artifact: string, log: StepLog, wait: boolean): Op<void> {
  if (settings.remoteCacheMode === 'read') {
    log.info(`remote cache is read-only (ZIGIMPORT_REMOTE_CACHE_MODE=read): not uploading`);
    return;
  }
  if (!recordMatchesKey(plan.material, manifest.inputs)) {
    log.info('sources changed while compiling: not uploading this build');
    return;
  }
  const record = remoteRecord(plan.key, plan.material, plan.base, { ...manifest.artifact, inputs: manifest.inputs });
  const request = uploadRequest(plan.endpoint, plan.key, record, artifact);
  if (!wait) {
    uploadInBackground(request, settings.cacheDir);
    log.info(`remote cache upload started in the background (${manifest.artifact.size} bytes to ${plan.shown})`);
    return;
  }
  const started = performance.now();
  const reply = yield* exchange(request, settings.cacheDir);
  const detail = reply.outcome === 'failed' ? reply.why : `${manifest.artifact.size} bytes to ${plan.shown}`;
  log.step(reply.outcome === 'uploaded' ? 'remote cache upload' : 'remote cache upload failed', performance.now() - started, detail);
}

/** For `zigimport info`: the redacted URL and whether the server answers (any HTTP status but 401/403/5xx). */
export function probeRemote(settings: Settings): { url: string; answers: boolean; detail: string } | undefined {
  const remote = settings.remoteCache;
  if (!remote) return undefined;
  const url = redactUrl(remote);
  const reply = performSync(exchange(pingRequest(remoteEndpoint(remote), settings), process.cwd()));
  if (reply.outcome === 'answers') return { url, answers: true, detail: `answers (HTTP ${reply.status})` };
  return { url, answers: false, detail: reply.outcome === 'failed' ? reply.why : reply.outcome };
}
