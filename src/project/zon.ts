/**
 * A reader for ZON, Zig's data notation, enough for `build.zig.zon`: anonymous structs and
 * tuples (`.{ ... }`), field names (`.name`, `.@"quoted name"`), enum literals, strings,
 * numbers, `true`/`false`/`null`, and `//` comments. Errors name the file, line and column.
 */
import { ZigImportConfigError } from '../errors.js';

/** An enum literal such as `.my_package`. */
export class ZonEnum {
  constructor(readonly name: string) {}
}

export type ZonValue = string | number | bigint | boolean | null | ZonEnum | ZonValue[] | { [field: string]: ZonValue };

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"' };

class Reader {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  fail(message: string, at = this.i): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new ZigImportConfigError(`${this.file}:${line}:${column}: ${message}`);
  }

  private skip(): void {
    for (;;) {
      while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
      if (!this.text.startsWith('//', this.i)) return;
      const end = this.text.indexOf('\n', this.i);
      this.i = end < 0 ? this.text.length : end;
    }
  }

  private peek(s: string): boolean {
    this.skip();
    return this.text.startsWith(s, this.i);
  }

  private expect(s: string): void {
    if (!this.peek(s)) this.fail(`expected '${s}'`);
    this.i += s.length;
  }

  private identifier(): string {
    this.skip();
    if (this.text.startsWith('@"', this.i)) {
      this.i++;
      return this.string();
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i));
    if (!m) this.fail('expected a name');
    this.i += m[0].length;
    return m[0];
  }

  private string(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.text[this.i++];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.i++]!;
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e === 'x') {
        out += String.fromCharCode(parseInt(this.text.slice(this.i, this.i + 2), 16));
        this.i += 2;
      } else if (e === 'u') {
        const close = this.text.indexOf('}', this.i);
        out += String.fromCodePoint(parseInt(this.text.slice(this.i + 1, close), 16));
        this.i = close + 1;
      } else this.fail(`unknown escape \\${e}`, this.i - 2);
    }
  }

  value(): ZonValue {
    this.skip();
    if (this.peek('.{')) return this.container();
    if (this.peek('.')) {
      this.i++;
      return new ZonEnum(this.identifier());
    }
    if (this.peek('"')) return this.string();
    if (this.peek('\\\\')) {
      const lines: string[] = [];
      while (this.peek('\\\\')) {
        const end = this.text.indexOf('\n', this.i);
        lines.push(this.text.slice(this.i + 2, end < 0 ? undefined : end));
        this.i = end < 0 ? this.text.length : end;
      }
      return lines.join('\n');
    }
    const m = /^(-?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][-+]?[0-9]+)?)|true|false|null)/.exec(this.text.slice(this.i));
    if (!m) this.fail('expected a value');
    this.i += m[0].length;
    const word = m[0];
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    const digits = word.replace(/_/g, '');
    if (/^-?0[xob]/.test(digits) || (/^-?[0-9]+$/.test(digits) && !Number.isSafeInteger(Number(digits)))) {
      const negative = digits.startsWith('-');
      const big = BigInt(negative ? digits.slice(1) : digits);
      return negative ? -big : big;
    }
    return Number(digits);
  }

  /** `.{ .a = 1, .b = 2 }` becomes an object; `.{ 1, 2 }` and `.{}` become arrays. */
  private container(): ZonValue {
    this.expect('.{');
    if (this.peek('}')) {
      this.i++;
      return [];
    }
    const isStruct = /^\.\s*(?:[A-Za-z_][A-Za-z0-9_]*|@"(?:[^"\\]|\\.)*")\s*=(?!=)/.test(this.text.slice(this.i));
    const fields: { [field: string]: ZonValue } = {};
    const items: ZonValue[] = [];
    for (;;) {
      if (this.peek('}')) break;
      if (isStruct) {
        this.expect('.');
        const at = this.i;
        const name = this.identifier();
        if (Object.hasOwn(fields, name)) this.fail(`duplicate field '${name}'`, at);
        this.expect('=');
        fields[name] = this.value();
      } else items.push(this.value());
      if (!this.peek(',')) break;
      this.i++;
    }
    this.expect('}');
    return isStruct ? fields : items;
  }

  end(): void {
    this.skip();
    if (this.i < this.text.length) this.fail('unexpected text after the value');
  }
}

/** Parses ZON text; `file` names the source in error messages. */
export function parseZon(text: string, file: string): ZonValue {
  const reader = new Reader(text, file);
  const value = reader.value();
  reader.end();
  return value;
}

export function isZonStruct(v: ZonValue | undefined): v is { [field: string]: ZonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ZonEnum);
}

/** Writes a value back as ZON (used for the generated project's `build.zig.zon`). */
export function formatZon(v: ZonValue, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/\\u([0-9a-fA-F]{4})/g, '\\u{$1}');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  const inner = `${indent}    `;
  if (Array.isArray(v)) return v.length === 0 ? '.{}' : `.{\n${v.map((x) => `${inner}${formatZon(x, inner)},\n`).join('')}${indent}}`;
  if (v instanceof ZonEnum) return `.${zonName(v.name)}`;
  const fields = Object.entries(v);
  if (fields.length === 0) return '.{}';
  return `.{\n${fields.map(([k, x]) => `${inner}.${zonName(k)} = ${formatZon(x, inner)},\n`).join('')}${indent}}`;
}

/** A field or enum name, quoted with `@"..."` when it is not a plain identifier. */
export function zonName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `@${JSON.stringify(name)}`;
}
