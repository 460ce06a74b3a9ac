/**
 * Progress for `zigimport build`: on a terminal, one live line naming the modules compiling and
 * their elapsed time; elsewhere nothing but the results.
 */
import * as path from 'node:path';
import { pcErr as pc } from './color.js';

export interface Progress {
  start(file: string): void;
  finish(file: string): void;
  /** Prints a permanent line (above the live line). */
  print(line: string): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const active = new Map<string, number>();
  const live = Boolean(stream.isTTY);
  let timer: NodeJS.Timeout | undefined;
  const clear = () => live && stream.write('\r\u001b[2K');
  const render = () => {
    if (!live || active.size === 0) return;
    const now = Date.now();
    const parts = [...active].map(([file, t]) => `${path.basename(file)} ${((now - t) / 1000).toFixed(1)}s`);
    const width = (stream.columns || 80) - 'compiling '.length - 1;
    clear();
    stream.write(`${pc.cyan('compiling')} ${parts.join(', ').slice(0, Math.max(width, 10))}`);
  };
  return {
    start(file) {
      active.set(file, Date.now());
      if (live && !timer) timer = setInterval(render, 100);
      render();
    },
    finish(file) {
      active.delete(file);
      if (active.size === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
        clear();
      }
    },
    print(line) {
      clear();
      process.stdout.write(`${line}\n`);
      render();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
