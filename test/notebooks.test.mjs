// Notebooks, executed headlessly (`jupyter nbconvert --to notebook --execute`) with three
// JavaScript kernels: Deno's (`deno jupyter --install`), tslab and IJavascript. Each notebook in
// examples/notebooks loads math.zig, calls it, edits the file, reloads it and imports or requires
// it; the executed notebook's outputs are checked cell by cell. Tools come from .ci/run:
// ZIGIMPORT_TEST_JUPYTER (the jupyter command), ZIGIMPORT_TEST_DENO, ZIGIMPORT_TEST_TSLAB (tslab's
// bin) and ZIGIMPORT_TEST_IJSINSTALL (IJavascript's installer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, childEnv, tempDir } from './helpers.mjs';
import { runtimeBinary } from './support/runtimes.mjs';
import { consumerProject } from './support/consumer.mjs';

const jupyter = runtimeBinary('ZIGIMPORT_TEST_JUPYTER', 'Jupyter (nbconvert)');
const KERNELS = [
  {
    notebook: 'deno.ipynb',
    tool: runtimeBinary('ZIGIMPORT_TEST_DENO', 'Deno'),
    install: (bin, env) => [bin, ['jupyter', '--install'], env],
    expected: [[], ['add 5\n'], [], ['reloaded add 105\n'], [], ['import 10\n'], [], ['inline 2.25\n']],
    // Deno 2.9's kernel can send a cell's result after reporting the cell done when the machine is
    // busy, and nbconvert then drops it: the notebook also appends each value to results.txt,
    // which is checked exactly, while a cell's shown output may be missing (never wrong).
    results: 'add 5\nreloaded add 105\nimport 10\ninline 2.25\n',
  },
  {
    notebook: 'tslab.ipynb',
    tool: runtimeBinary('ZIGIMPORT_TEST_TSLAB', 'tslab'),
    install: (bin, env) => [bin, ['install', '--user', `--binary=${bin}`], env],
    expected: [['add 5\n'], ['typed function\n'], ['reloaded add 105\n'], ['require 10\n'], ['inline 2.25\n']],
  },
  {
    notebook: 'ijavascript.ipynb',
    tool: runtimeBinary('ZIGIMPORT_TEST_IJSINSTALL', 'IJavascript (ijsinstall)'),
    install: (bin, env) => [bin, ['--spec-path=full'], env],
    expected: [['add 5\n'], ['reloaded add 105\n'], ['require 10\n'], ['inline 2.25\n']],
  },
];

/**
 * What a cell showed: printed text, an error's value, or (Deno's notebook, whose cells end in a
 * string expression) the result's plain-text form, unquoted, as one line.
 */
function outputText(o) {
  if (o.text !== undefined) return Array.isArray(o.text) ? o.text.join('') : o.text;
  if (o.output_type === 'execute_result') {
    const plain = o.data?.['text/plain'];
    const text = Array.isArray(plain) ? plain.join('') : String(plain);
    return `${text.replace(/^"(.*)"$/s, '$1')}\n`;
  }
  return o.evalue ?? JSON.stringify(o);
}

function run(command, args, opts) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000, ...opts });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ? r.error.message : ''}` };
}

for (const kernel of KERNELS) {
  const skip = jupyter.skip ?? kernel.tool.skip ?? false;
  test(`${kernel.notebook}: load, call, edit, reload and import a .zig module in a headless run`, { skip }, () => {
    const dir = consumerProject({
      'math.zig': fs.readFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), 'utf8'),
      'math.d.zig.ts': fs.readFileSync(path.join(ROOT, 'examples', 'simple_math.d.zig.ts'), 'utf8'),
      'deno.json': JSON.stringify({ nodeModulesDir: 'manual' }),
    });
    fs.copyFileSync(path.join(ROOT, 'examples', 'notebooks', kernel.notebook), path.join(dir, kernel.notebook));
    // A private home: the kernel specs, Jupyter's runtime files and Deno's cache live there only.
    const home = tempDir('jupyter-home-');
    const env = childEnv({ HOME: home, PATH: `${path.dirname(jupyter.path)}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' });
    const [command, args] = kernel.install(kernel.tool.path, env);
    const installed = run(command, args, { cwd: dir, env });
    assert.equal(installed.status, 0, installed.output);

    const executed = run(jupyter.path, ['nbconvert', '--to', 'notebook', '--execute', kernel.notebook, '--output', 'executed.ipynb'], { cwd: dir, env });
    assert.equal(executed.status, 0, executed.output);
    const cells = JSON.parse(fs.readFileSync(path.join(dir, 'executed.ipynb'), 'utf8')).cells;
    const outputs = cells.map((c) => c.outputs.map(outputText));
    const shown = `cell outputs: ${JSON.stringify(cells.map((c) => c.outputs))}\n${executed.output}`;
    if (kernel.results) {
      assert.equal(fs.readFileSync(path.join(dir, 'results.txt'), 'utf8'), kernel.results, shown);
      assert.equal(outputs.length, kernel.expected.length, shown);
      outputs.forEach((cell, i) => assert.ok(cell.length === 0 || JSON.stringify(cell) === JSON.stringify(kernel.expected[i]), shown));
    } else {
      assert.deepEqual(outputs, kernel.expected, shown);
    }
    // The edit really happened: the notebook ran the reloaded code, not the first build.
    assert.match(fs.readFileSync(path.join(dir, 'math.zig'), 'utf8'), /return a \+ b \+ 100;/);
  });
}
