/**
 * The named struct, enum and union types of a module's declarations: collected once from every
 * export, each given a fresh TypeScript name (and a second one, `…Input`, when what JavaScript
 * passes differs from what it gets back).
 */
import type { ExportDesc, TypeDesc } from './descriptor.js';
import { isPlainIdentifier, RESERVED } from './names.js';

/** Named struct, enum and union types, emitted once at the top level. */
export interface NamedType {
  desc: Extract<TypeDesc, { kind: 'struct' | 'enum' | 'union' }>;
  /** The TypeScript name of the output shape (and of the input shape when they coincide). */
  name: string;
  /** The input shape's name when it differs from the output shape. */
  inputName: string | undefined;
}

export class NamedTypes {
  private readonly named = new Map<string, NamedType>();
  private readonly usedNames = new Set<string>();

  /** Keeps `name` (an export's) from being given to a type. */
  reserve(name: string): void {
    this.usedNames.add(name);
  }

  get(zig: string): NamedType | undefined {
    return this.named.get(zig);
  }

  values(): IterableIterator<NamedType> {
    return this.named.values();
  }

  collectExport(e: ExportDesc): void {
    switch (e.kind) {
      case 'function':
        e.params.forEach((p) => this.collect(p));
        this.collect(e.returns);
        break;
      case 'constant':
      case 'variable':
        this.collect(e.type);
        break;
      case 'namespace':
        e.members.forEach((m) => this.collectExport(m));
        break;
      case 'class':
        e.constructorParams?.forEach((p) => this.collect(p));
        e.methods.forEach((m) => this.collectExport(m));
        e.fields.forEach((f) => this.collect(f.type));
        e.statics.forEach((m) => this.collectExport(m));
        break;
    }
  }

  private collect(t: TypeDesc): void {
    switch (t.kind) {
      case 'struct':
      case 'enum':
      case 'union': {
        // A named type is collected once (registered before its members, so cycles end).
        if (t.name !== undefined && this.named.has(t.zig)) break;
        const entry: NamedType | undefined =
          t.name === undefined ? undefined : { desc: t, name: this.freshName(t.name.split('.').pop()!), inputName: undefined };
        if (entry) this.named.set(t.zig, entry);
        if (t.kind === 'struct') t.fields.forEach((f) => this.collect(f.type));
        if (t.kind === 'union') t.variants.forEach((v) => this.collect(v.type));
        if (entry && this.differs(t)) entry.inputName = this.freshName(`${entry.name}Input`);
        break;
      }
      case 'array':
        this.collect(t.element);
        break;
      case 'tuple':
        t.elements.forEach((e) => this.collect(e));
        break;
      case 'optional':
        this.collect(t.child);
        break;
      case 'errorunion':
        this.collect(t.payload);
        break;
      case 'iterator':
        this.collect(t.item);
        break;
      case 'function':
        t.params.forEach((p) => this.collect(p));
        this.collect(t.returns);
        break;
      default:
        break;
    }
  }

  private freshName(base: string): string {
    let name = isPlainIdentifier(base) ? base : base.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_');
    if (RESERVED.has(name) || name === '__module') name = `_${name}`;
    let n = name;
    for (let i = 2; this.usedNames.has(n); i++) n = `${name}${i}`;
    this.usedNames.add(n);
    return n;
  }

  /** Whether what JavaScript passes for `t` differs from what it gets back. */
  private differs(t: TypeDesc, seen = new Set<string>()): boolean {
    switch (t.kind) {
      case 'bigint':
      case 'string':
      case 'typedarray':
      case 'optional':
      case 'function':
        return true;
      case 'array':
        return this.differs(t.element, seen);
      case 'errorunion':
        return this.differs(t.payload, seen);
      case 'tuple':
        return t.elements.some((e) => this.differs(e, seen));
      case 'struct':
        if (seen.has(t.zig)) return false;
        seen.add(t.zig);
        return t.fields.some((f) => f.hasDefault || this.differs(f.type, seen));
      case 'union':
        if (seen.has(t.zig)) return false;
        seen.add(t.zig);
        return t.variants.some((v) => this.differs(v.type, seen));
      default:
        return false;
    }
  }
}
