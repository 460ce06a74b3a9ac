// The TypeScript of the pointer kinds (src/types/pointers.ts): handle brands and recursive refs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { handleType, refType, withoutLengths } = require('../../dist/types/pointers.js');

test('handleType: one brand per opaque type, the name as a string literal', () => {
  const cases = [
    ['Window', '{ readonly __zigHandle: "Window" }'],
    ['anyopaque', '{ readonly __zigHandle: "anyopaque" }'],
    ['gfx.Font', '{ readonly __zigHandle: "gfx.Font" }'],
    ['odd"name', '{ readonly __zigHandle: "odd\\"name" }'],
  ];
  for (const [name, want] of cases) assert.equal(handleType(name), want, name);
});

test('refType: the named struct (its input form for parameters), else object', () => {
  const cases = [
    [{ name: 'Node', inputName: 'NodeInput' }, 'in', 'NodeInput'],
    [{ name: 'Node', inputName: 'NodeInput' }, 'out', 'Node'],
    [{ name: 'Node', inputName: undefined }, 'in', 'Node'],
    [undefined, 'in', 'object'],
    [undefined, 'out', 'object'],
  ];
  for (const [named, dir, want] of cases) assert.equal(refType(named, dir), want, `${JSON.stringify(named)} ${dir}`);
});

test('withoutLengths: drops the length parameters of many-item pointers by index', () => {
  const cases = [
    [['ptr', 'len'], [1], ['ptr']],
    [['ptr', 'len', 'factor'], [1], ['ptr', 'factor']],
    [['a', 'b'], undefined, ['a', 'b']],
    [['a', 'b'], [], ['a', 'b']],
    [
      ['p', 'n', 'q', 'm'],
      [1, 3],
      ['p', 'q'],
    ],
  ];
  for (const [params, lengths, want] of cases) assert.deepEqual(withoutLengths(params, lengths), want, JSON.stringify([params, lengths]));
});
