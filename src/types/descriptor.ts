/**
 * The description of a module's exports that the binding layer generates at comptime, with the
 * same classification code that does the conversions, so that it cannot disagree with them.
 * The addon exposes it as a non-enumerable function `__zigimport_describe()` on its exports,
 * returning this object as a JSON string. Consumers: TypeScript declarations, `zigimport info`.
 *
 * Every type is described from JavaScript's side: what a parameter accepts and what a result is.
 */

/** The format version of this description; bumped on incompatible changes. */
export const DESCRIPTOR_FORMAT = 1;

export type TypedArrayName =
  | 'Int8Array'
  | 'Uint8Array'
  | 'Int16Array'
  | 'Uint16Array'
  | 'Int32Array'
  | 'Uint32Array'
  | 'BigInt64Array'
  | 'BigUint64Array'
  | 'Float32Array'
  | 'Float64Array';

export type TypeDesc =
  /** Integers up to 53 bits and floats: `number` both ways. */
  | { kind: 'number'; zig: string }
  /** Wider integers: accepts `number | bigint`, returns `bigint`. */
  | { kind: 'bigint'; zig: string }
  | { kind: 'boolean'; zig: 'bool' }
  /** `void` results: `undefined`. */
  | { kind: 'void'; zig: 'void' }
  /** `[]const u8`, `[:0]const u8`, string literals: accepts `string | Uint8Array`, returns `string`. */
  | { kind: 'string'; zig: string }
  /**
   * Numeric slices (including mutable `[]u8`), `@Vector`s and numeric arrays: accepts the typed
   * array (and a plain `number[]`/`bigint[]` when `acceptsArray`), returns a new typed array.
   * `length` is set for fixed-length `[N]T` / vectors.
   */
  | { kind: 'typedarray'; zig: string; array: TypedArrayName; acceptsArray: boolean; length?: number }
  /** Non-numeric `[N]T` and slices of non-numeric `T`: JS arrays. */
  | { kind: 'array'; zig: string; element: TypeDesc; length?: number }
  /** Tuples: JS arrays of fixed shape. */
  | { kind: 'tuple'; zig: string; elements: TypeDesc[] }
  /** `?T`: accepts `T | null | undefined`, returns `T | null`. */
  | { kind: 'optional'; zig: string; child: TypeDesc }
  /** A struct as a plain object. `name` is the Zig declaration name when it has one. */
  | {
      kind: 'struct';
      zig: string;
      name?: string;
      fields: FieldDesc[];
      /** Set for a struct pointer (`*T` / `*const T`), which travels as the struct's object (see README, Pointers). */
      pointer?: PointerMutability;
    }
  /** A struct pointer back to a struct being described (`next: ?*const Node`): the named struct `zig`. */
  | { kind: 'ref'; zig: string; name?: string; pointer: PointerMutability }
  /** An opaque pointer (`*anyopaque`, `*opaque {}`): a handle object branded with `name`, the opaque type. */
  | { kind: 'handle'; zig: string; name: string }
  /** An enum as its tag-name strings; a non-exhaustive one (`exhaustive: false`) also as numbers for unnamed values. */
  | { kind: 'enum'; zig: string; name?: string; values: string[]; exhaustive?: false }
  /** A tagged union as a single-key object `{ tag: payload }`. */
  | { kind: 'union'; zig: string; name?: string; variants: { name: string; type: TypeDesc }[] }
  /** A callback parameter (`*const fn (...) R`): a JS function. */
  | { kind: 'function'; zig: string; params: TypeDesc[]; returns: TypeDesc }
  /** An error set value (`E`, `anyerror`): the error's name; `names` is null for `anyerror` (then `string`). */
  | { kind: 'error'; zig: string; names: string[] | null }
  /**
   * `E!T` inside a value (parameters, fields, elements): a `T`, or an `Error` whose `code` is the
   * Zig error name (the shape a failing call throws). A function's own `E!T` result still throws.
   */
  | { kind: 'errorunion'; zig: string; errors: string[] | null; payload: TypeDesc }
  /** A stateful struct exported as a class, referenced by its export path (e.g. `Counter`, `geo.Shape`). */
  | {
      kind: 'class';
      zig: string;
      name: string;
      /** A data class (no `init`) by value: a parameter also accepts a plain object with its fields. */
      fromObject?: boolean;
    }
  /** A returned struct with `pub fn next(self: *Self) ?T`: a lazy JS iterable of its `item`s (results only). */
  | { kind: 'iterator'; zig: string; item: TypeDesc };

/** Whether a struct pointer's function may change the struct (`*T`: written back into the object) or not. */
export type PointerMutability = 'mutable' | 'const';

export interface FieldDesc {
  name: string;
  type: TypeDesc;
  /** The field has a default, so it may be omitted on input. */
  hasDefault: boolean;
}

export interface FunctionDesc {
  kind: 'function';
  /** The JS name (= the Zig name). */
  name: string;
  /** JS-visible parameters in order (injected allocators are not listed). */
  params: TypeDesc[];
  /** The result type, without the error union. */
  returns: TypeDesc;
  /** Error names it can throw (as `code`), or null when the set is `anyerror`/unknown. Empty: cannot fail. */
  errors: string[] | null;
  /** Runs on a worker thread and returns a Promise of `returns`. */
  async: boolean;
  /**
   * Keyword-argument form: the single struct parameter whose fields may be passed positionally
   * or as one object. When set, `params` has one element (that struct).
   */
  kwargs: boolean;
  /**
   * Zig parameters that are the length of the many-item pointer before them (`ptr: [*]const f64,
   * len: usize`: JS passes one array for both), by index among the parameters that are not
   * injected allocators. Absent when there are none.
   */
  lengths?: number[];
}

export interface ConstantDesc {
  kind: 'constant';
  name: string;
  type: TypeDesc;
  /** The value as JSON (bigints as decimal strings), for literal types in declarations. */
  value: unknown;
}

/**
 * A `pub var`: a live accessor on the exports object (or namespace). Reads convert the current
 * Zig value; assignments (unless `readonly`) convert like an argument of `type` and store it.
 */
export interface VariableDesc {
  kind: 'variable';
  name: string;
  /** The value's type (the payload when the variable is an error union). */
  type: TypeDesc;
  /** The type cannot be read from JS (e.g. `*const [N:0]u8`): reads only. */
  readonly: boolean;
  /** Error union variables: the error names a read can throw (null for anyerror); else empty. */
  errors: string[] | null;
}

export interface NamespaceDesc {
  kind: 'namespace';
  name: string;
  members: ExportDesc[];
}

export interface ClassDesc {
  kind: 'class';
  name: string;
  /**
   * The `init` parameters (constructor), or null when the class cannot be constructed from JS. A data
   * class (fields and methods, no `init`) has one: an object with its fields (`new Vec2({ x, y })`).
   */
  constructorParams: TypeDesc[] | null;
  /** Error names `init` can return (thrown by `new`), null for anyerror; absent in older builds. */
  constructorErrors?: string[] | null;
  /** Instance methods (`self: *T` / `self: T`), `self` omitted from params. */
  methods: FunctionDesc[];
  /** Public fields readable from JS, if any. */
  fields: FieldDesc[];
  /** Static functions and constants declared in the struct. */
  statics: ExportDesc[];
}

export type ExportDesc = FunctionDesc | ConstantDesc | VariableDesc | NamespaceDesc | ClassDesc;

export interface ModuleDesc {
  format: typeof DESCRIPTOR_FORMAT;
  /** The binding layer version string. */
  binding: string;
  exports: ExportDesc[];
  /** Declarations not exported, with reasons (same content as `__zigimport_skipped`). */
  skipped: { name: string; reason: string }[];
}
