// The binding layer's file graph (`zig/`): no `@import("x.zig")` cycle, every imported file exists,
// and the layering the files rely on holds (conversions reach class instances through instance.zig,
// never through the class builder; nothing imports the public entry zigimport.zig back). Reads the
// files as text: no compile needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ZIG_DIR = path.join(path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url)))), 'zig');

/** `line` without its `//` comment; `//` inside a string or character literal is kept. */
function withoutComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '/' && line[i + 1] === '/') {
      return line.slice(0, i);
    }
  }
  return line;
}

/** Relative `.zig` files a source imports (modules such as "std" or "user" are not files). */
function zigImports(source) {
  const out = [];
  for (const line of source.split('\n')) {
    for (const m of withoutComment(line).matchAll(/@import\(\s*"([^"]+\.zig)"\s*\)/g)) out.push(m[1]);
  }
  return out;
}

/** Every `.zig` file under `dir` mapped to the files it imports (paths relative to `dir`). */
function importGraph(dir) {
  const graph = new Map();
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.zig')) {
        const source = fs.readFileSync(path.join(dir, rel), 'utf8');
        graph.set(
          rel,
          zigImports(source).map((target) => path.posix.normalize(path.posix.join(path.posix.dirname(rel), target))),
        );
      }
    }
  };
  walk('');
  return graph;
}

/** The first import cycle found, as a list of files ending where it starts; null when none. */
function findCycle(graph) {
  const state = new Map(); // file -> 'open' while on the current path, 'done' after
  const stack = [];
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of [...graph.keys()].sort()) {
    if (!state.has(file)) {
      const cycle = visit(file);
      if (cycle) return cycle;
    }
  }
  return null;
}

/** Whether `to` is reachable from `from` through imports. */
function reaches(graph, from, to) {
  const seen = new Set();
  const pending = [from];
  while (pending.length > 0) {
    const file = pending.pop();
    for (const next of graph.get(file) ?? []) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return false;
}

const CHECKER_CASES = [
  ['an import chain has no cycle', { 'a.zig': ['b.zig'], 'b.zig': ['c.zig'], 'c.zig': [] }, null],
  ['a diamond has no cycle', { 'a.zig': ['b.zig', 'c.zig'], 'b.zig': ['d.zig'], 'c.zig': ['d.zig'], 'd.zig': [] }, null],
  ['two files importing each other', { 'a.zig': ['b.zig'], 'b.zig': ['a.zig'] }, ['a.zig', 'b.zig', 'a.zig']],
  ['a file importing itself', { 'a.zig': ['a.zig'] }, ['a.zig', 'a.zig']],
  ['a cycle behind a chain', { 'a.zig': ['b.zig'], 'b.zig': ['c.zig'], 'c.zig': ['d.zig'], 'd.zig': ['b.zig'] }, ['b.zig', 'c.zig', 'd.zig', 'b.zig']],
];

for (const [name, edges, cycle] of CHECKER_CASES) {
  test(`cycle finder: ${name}`, () => {
    assert.deepEqual(findCycle(new Map(Object.entries(edges))), cycle);
  });
}

const PARSER_CASES = [
  ['a plain import', 'const napi = @import("napi.zig");', ['napi.zig']],
  ['modules are not files', 'const std = @import("std");\nconst user = @import("user");', []],
  ['a doc comment naming an import', '//! root.zig calls `@import("exports.zig")`\n/// see @import("x.zig")', []],
  ['a trailing comment', 'const a = @import("a.zig"); // not @import("b.zig")', ['a.zig']],
  ['a string holding // before the import', 'const s = "http://x"; const a = @import("a.zig");', ['a.zig']],
  ['a test block import', 'test {\n    _ = @import("compat.zig");\n}', ['compat.zig']],
  ['a relative path', 'const m = @import("ast/main.zig");', ['ast/main.zig']],
];

for (const [name, source, imports] of PARSER_CASES) {
  test(`import reader: ${name}`, () => {
    assert.deepEqual(zigImports(source), imports);
  });
}

test('zig/: the binding layer has no import cycle', () => {
  const graph = importGraph(ZIG_DIR);
  assert.ok(graph.size >= 10, `expected the binding layer's files under ${ZIG_DIR}, found ${graph.size}`);
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle in zig/: ${cycle?.join(' -> ')}`);
});

test('zig/: every imported file exists', () => {
  const graph = importGraph(ZIG_DIR);
  for (const [file, imports] of graph) {
    for (const target of imports) assert.ok(graph.has(target), `${file} imports ${target}, which does not exist`);
  }
});

test('zig/: conversions reach class instances through instance.zig, not the class builder', () => {
  const graph = importGraph(ZIG_DIR);
  for (const conversion of ['from_js.zig', 'to_js.zig', 'function.zig', 'callback.zig', 'types.zig', 'declarations.zig', 'describe.zig']) {
    assert.ok(graph.has(conversion), `${conversion} is missing`);
    assert.equal(reaches(graph, conversion, 'class_builder.zig'), false, `${conversion} depends on class_builder.zig`);
    assert.equal(reaches(graph, conversion, 'exports.zig'), false, `${conversion} depends on exports.zig`);
  }
  assert.ok(reaches(graph, 'from_js.zig', 'instance.zig'), 'from_js.zig reads class instances through instance.zig');
  assert.ok(reaches(graph, 'to_js.zig', 'instance.zig'), 'to_js.zig writes class instances through instance.zig');
});

test('zig/: nothing imports the public entry zigimport.zig', () => {
  const graph = importGraph(ZIG_DIR);
  const importers = [...graph].filter(([, imports]) => imports.includes('zigimport.zig')).map(([file]) => file);
  assert.deepEqual(importers, []);
});
