/**
 * Makes a Zig process tree end with the Node process that started it. When Node dies mid-compile
 * (SIGKILL, the OOM killer), an orphaned compiler otherwise runs on for seconds, reparented to
 * init; so does what it started: `zig build` on 0.15 and 0.16 runs its build runner as a child,
 * the runner runs the compilers, and a compile with C sources runs clang.
 *
 * Neither Node (no prctl) nor a `--listen=-` compiler (it reads stdin, and sees EOF, only
 * between updates) can do this alone. On Linux the command runs as
 *
 *     setpriv --pdeathsig TERM -- /bin/sh -c GUARD setsid zig <args>
 *
 * util-linux's setpriv sets PR_SET_PDEATHSIG and execs the shell; the shell starts zig in the
 * background in a new session and process group (util-linux's setsid), and waits. When Node dies
 * the kernel sends the shell SIGTERM, and its trap kills zig's process group: zig and everything
 * zig started. A timeout sends the same SIGTERM. The shell exits the way zig did (same code, or
 * same signal). Cost: three small execs, about 10 ms per compile (measured: `zig version` takes
 * 8 ms started directly, 19 ms guarded, on a busy 2-core machine). Without setpriv and setsid (other
 * systems, minimal images) zig runs directly, unguarded.
 */
import * as fs from 'node:fs';
import type { StopSignal } from '../portable-types.js';
import * as path from 'node:path';

/**
 * `$1` is setsid, `$2` zig, the rest zig's arguments. Without job control, a background command's
 * stdin is /dev/null unless redirected: fd 3 carries the shell's stdin (the compiler-server
 * messages) to zig. A background child is no group leader, so setsid execs zig without forking:
 * `$!` is zig's pid and its process group. `wait` returns 128+N when zig died of signal N (or when
 * the trap ran): the shell then dies of the same signal.
 */
const GUARD = [
  'pid=',
  `trap 'if [ -n "$pid" ]; then kill -KILL -"$pid" 2>/dev/null; fi' TERM`,
  'command -v "$2" >/dev/null 2>&1 || { echo "zigimport: cannot execute $2" >&2; exit 127; }',
  'exec 3<&0',
  '"$@" <&3 3<&- &',
  'pid=$!',
  'wait "$pid"',
  'status=$?',
  'if [ "$status" -gt 128 ]; then trap - TERM; kill -s "$(kill -l "$status")" $$; fi',
  'exit "$status"',
].join('\n');

/** What the guard prints when zig cannot be started (then it exits with 127). */
const CANNOT_EXECUTE = /^zigimport: cannot execute .*$/m;

export interface Launch {
  command: string;
  args: string[];
  /** The signal that stops the process and everything it started (a timeout). */
  stopSignal: StopSignal;
}

/** util-linux's tools the guard needs, found on PATH once per process; null when one is missing. */
let tools: { setpriv: string; setsid: string } | null | undefined;

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir || '.', name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

function findTools(): { setpriv: string; setsid: string } | null {
  if (tools !== undefined) return tools;
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv') : null;
  const setsid = setpriv ? findOnPath('setsid') : null;
  tools = setpriv && setsid ? { setpriv, setsid } : null;
  return tools;
}

/** How to start `command` so that it and its children end when this process dies. */
export function guardedLaunch(command: string, args: string[]): Launch {
  const found = findTools();
  if (!found) return { command, args, stopSignal: 'SIGKILL' };
  return {
    command: found.setpriv,
    args: ['--pdeathsig', 'TERM', '--', '/bin/sh', '-c', GUARD, 'zigimport-guard', found.setsid, command, ...args],
    stopSignal: 'SIGTERM',
  };
}

/** The guard's report that zig could not be started, as the error Node gives when it spawns zig itself. */
export function launchError(launch: Launch, command: string, code: number | null, stderr: string): Error | undefined {
  if (launch.command === command || code !== 127) return undefined;
  const line = CANNOT_EXECUTE.exec(stderr);
  return line ? new Error(`${line[0].replace(/^zigimport: /, '')}: not found or not executable`) : undefined;
}
