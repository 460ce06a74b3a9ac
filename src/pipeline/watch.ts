/**
 * Watch mode: builds the modules under the given paths, then rebuilds a module whenever one of
 * the files the compiler read for it changes (the exact list recorded with its build, not a
 * guess), or when a new module appears under a watched folder. Events are delivered to
 * listeners and through an async iterator, so a dev server can reload.
 */
import { EventEmitter, on } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSettings, type SettingsOverrides } from '../config/settings.js';
import { createLog } from '../log.js';
import { ensureBuild, type BuildResult } from './ensure.js';
import { findModules } from './many.js';

export type WatchEvent =
  | { type: 'built'; file: string; ms: number; cached: boolean; result: BuildResult; initial: boolean }
  | { type: 'failed'; file: string; ms: number; error: unknown; initial: boolean };

export interface WatchOptions extends SettingsOverrides {
  /** Quiet period after the last change before rebuilding (default 100 ms). */
  debounceMs?: number;
}

export interface ModuleWatcher extends AsyncIterable<WatchEvent> {
  on(event: 'event', listener: (e: WatchEvent) => void): this;
  on(event: 'ready', listener: () => void): this;
  /** Stops watching; the async iterator ends. */
  close(): void;
}

class Watcher extends EventEmitter implements ModuleWatcher {
  private readonly folders = new Map<string, fs.FSWatcher>();
  /** Input file -> modules whose build read it. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly modules = new Set<string>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private building: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly targets: string[],
    private readonly options: WatchOptions,
  ) {
    super();
  }

  async start(): Promise<void> {
    for (const t of this.targets) if (fs.statSync(t).isDirectory()) this.watchFolder(path.resolve(t));
    const files = findModules(this.targets);
    await Promise.all(files.map((f) => this.build(f, true)));
    this.emit('ready');
  }

  private async build(file: string, initial: boolean): Promise<void> {
    if (this.closed) return;
    this.modules.add(file);
    const start = performance.now();
    const { debounceMs: _ignored, ...overrides } = this.options;
    let event: WatchEvent;
    try {
      const { settings, module } = resolveSettings({ file, overrides, overridesSource: 'option' });
      const result = await ensureBuild(file, settings, module, createLog(settings.verbose, file));
      this.track(file, [file, ...result.manifest.inputs.map((i) => i.path)]);
      event = { type: 'built', file, ms: performance.now() - start, cached: result.cached, result, initial };
    } catch (error) {
      // Keep watching what we knew, plus the file itself, so that a fix triggers a rebuild.
      this.track(file, [file, ...this.inputsOf(file)]);
      event = { type: 'failed', file, ms: performance.now() - start, error, initial };
    }
    if (!this.closed) this.emit('event', event);
  }

  private inputsOf(file: string): string[] {
    return [...this.dependents].filter(([, mods]) => mods.has(file)).map(([input]) => input);
  }

  private track(file: string, inputs: string[]): void {
    for (const mods of this.dependents.values()) mods.delete(file);
    for (const input of inputs) {
      let mods = this.dependents.get(input);
      if (!mods) {
        mods = new Set();
        this.dependents.set(input, mods);
      }
      mods.add(file);
      this.watchFolder(path.dirname(input));
    }
  }

  /** Folders, not files: editors often save by renaming a new file over the old one. */
  private watchFolder(dir: string): void {
    if (this.closed || this.folders.has(dir)) return;
    try {
      const w = fs.watch(dir, (_kind, name) => name && this.changed(path.join(dir, name.toString())));
      w.on('error', () => this.folders.delete(dir));
      this.folders.set(dir, w);
    } catch {
      // A folder that vanished: its files show up as missing inputs on the next build.
    }
  }

  private changed(file: string): void {
    const affected = this.dependents.get(file);
    if (affected) for (const m of affected) this.pending.add(m);
    else if (file.endsWith('.zig') && !this.modules.has(file) && this.isUnderTarget(file) && fs.existsSync(file)) {
      // A new module in a watched folder; parts of other modules are found by findModules.
      if (findModules([file]).includes(file) && !this.dependents.has(file)) this.pending.add(file);
    }
    if (this.pending.size === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.debounceMs ?? 100);
  }

  private isUnderTarget(file: string): boolean {
    return this.targets.some((t) => {
      const rel = path.relative(path.resolve(t), file);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
  }

  private flush(): void {
    const batch = [...this.pending];
    this.pending.clear();
    this.building = this.building.then(() => Promise.all(batch.map((f) => this.build(f, false)))).then(() => undefined);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
    this.emit('close');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    const ac = new AbortController();
    this.once('close', () => ac.abort());
    try {
      for await (const [event] of on(this, 'event', { signal: ac.signal })) yield event as WatchEvent;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  }
}

/**
 * Builds the modules under `targets` and keeps them built. Listen with `.on('event', …)` or
 * `for await (const e of watcher)`; `close()` stops it.
 */
export function watchModules(targets: string[], options: WatchOptions = {}): ModuleWatcher {
  const watcher = new Watcher(targets, options);
  // Start after the caller had a chance to attach listeners.
  setImmediate(() => {
    watcher.start().catch((err) => watcher.emit('error', err));
  });
  return watcher;
}
