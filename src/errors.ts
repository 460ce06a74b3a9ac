/**
 * Every error zigimport throws on purpose. Each carries a `code` so callers can branch without
 * parsing messages, and a message that says what to do next.
 */

/**
 * Every `code` zigimport sets, all with the one prefix `ZIGIMPORT_`. The loader's codes come on
 * `ZigImportError`s; the binding layer's (marked below) on plain `Error`s thrown by a loaded
 * module's functions and classes. Errors returned by your own Zig functions carry the Zig error
 * name instead (`error.DivisionByZero` → `'DivisionByZero'`), which is not in this union.
 */
export type ZigImportErrorCode =
  /** A setting has an invalid value or an unknown key (`ZigImportConfigError`). */
  | 'ZIGIMPORT_INVALID_CONFIG'
  /** No Zig compiler was found (`ZigNotFoundError`), or `ZIGIMPORT_ZIG` is not an executable. */
  | 'ZIGIMPORT_ZIG_NOT_FOUND'
  /** The Zig found, or asked for, is a release zigimport does not support. */
  | 'ZIGIMPORT_UNSUPPORTED_ZIG'
  /** The Zig executable could not be run. */
  | 'ZIGIMPORT_ZIG_BROKEN'
  /** `zigimport toolchain install` was given something that is not a version. */
  | 'ZIGIMPORT_BAD_VERSION'
  /** Installing a Zig toolchain failed. */
  | 'ZIGIMPORT_INSTALL_FAILED'
  /** Zig rejected the module (`ZigCompileError`). */
  | 'ZIGIMPORT_COMPILE_ERROR'
  /** The compile ran past `ZIGIMPORT_TIMEOUT` (`ZigTimeoutError`). */
  | 'ZIGIMPORT_TIMEOUT'
  /** Another process held the module's build lock for too long. */
  | 'ZIGIMPORT_LOCK_TIMEOUT'
  /** Another user could write the cache folder (`UnsafeCacheError`). */
  | 'ZIGIMPORT_UNSAFE_CACHE'
  /** `process.dlopen` refused a freshly compiled build (`ZigLoadError`). */
  | 'ZIGIMPORT_LOAD_FAILED'
  /** The disk ran out during a build (`ZigNoSpaceError`). */
  | 'ZIGIMPORT_NO_SPACE'
  /** The `.zig` file of an import or `load()` does not exist. */
  | 'ZIGIMPORT_MODULE_NOT_FOUND'
  /** `reload()` was given something zigimport did not load. */
  | 'ZIGIMPORT_NOT_LOADED'
  /** Writing TypeScript declarations failed. */
  | 'ZIGIMPORT_TYPES_FAILED'
  /** A build target name (a Zig triple such as `aarch64-linux-gnu`) could not be read. */
  | 'ZIGIMPORT_BAD_TARGET'
  /** A build that has no backend for the target yet (a Zig package for WebAssembly). */
  | 'ZIGIMPORT_TARGET_UNSUPPORTED'
  /** A module setting or declaration that a WebAssembly build cannot have (libc, system libraries, `zigimport_async`). */
  | 'ZIGIMPORT_WASM_UNSUPPORTED'
  /** A build for another platform was asked to load in this process. */
  | 'ZIGIMPORT_TARGET_NOT_LOADABLE'
  /** No prebuilt addon of the module's package fits this platform (or its sources changed), and no Zig was found. */
  | 'ZIGIMPORT_NO_PREBUILD'
  /** Binding layer: a method or function was given a disposed class instance. */
  | 'ZIGIMPORT_DISPOSED'
  /** Binding layer: `dispose()` while a call that uses the instance is running. */
  | 'ZIGIMPORT_BUSY'
  /** Binding layer: an async call was cancelled before it ran. */
  | 'ZIGIMPORT_CANCELLED'
  /** Binding layer: memory ran out converting arguments or results. */
  | 'ZIGIMPORT_OUT_OF_MEMORY'
  /** Binding layer: struct pointers nest too deep to convert (a cycle, or a very long linked list). */
  | 'ZIGIMPORT_POINTER_DEPTH'
  /** Binding layer: a live view was used after a free function took its memory. */
  | 'ZIGIMPORT_FREED'
  /** Binding layer: a Node-API call failed (a bug in zigimport or Node: please report it). */
  | 'ZIGIMPORT_NAPI';

/** Base class: `err instanceof ZigImportError` catches everything zigimport throws deliberately. */
export class ZigImportError extends Error {
  /** What went wrong, to branch on without parsing the message. */
  readonly code: ZigImportErrorCode;
  constructor(code: ZigImportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A setting (environment variable, package.json field or import query) has an invalid value. */
export class ZigImportConfigError extends ZigImportError {
  constructor(message: string) {
    super('ZIGIMPORT_INVALID_CONFIG', message);
  }
}

/** No Zig compiler could be found anywhere zigimport looks. */
export class ZigNotFoundError extends ZigImportError {
  readonly searched: string[];
  constructor(searched: string[]) {
    super(
      'ZIGIMPORT_ZIG_NOT_FOUND',
      [
        'zigimport could not find a Zig compiler. It looked in:',
        ...searched.map((s) => `  - ${s}`),
        'Get one with any of:',
        '  npx zigimport toolchain install          (installs the `ziglang` package with pip into the zigimport cache; needs python3)',
        '  export ZIGIMPORT_ZIG=/path/to/zig         (use a Zig you already have)',
        '  pip install ziglang==0.17.1               (then zigimport finds it through `python3 -m ziglang`)',
      ].join('\n'),
    );
    this.searched = searched;
  }
}

/** The Zig found is a release zigimport does not support. */
export class UnsupportedZigVersionError extends ZigImportError {
  readonly version: string;
  readonly zigPath: string;
  constructor(zigPath: string, version: string, supported: string) {
    super(
      'ZIGIMPORT_UNSUPPORTED_ZIG',
      `Zig ${version} at ${zigPath} is not supported by zigimport (supported: ${supported}). ` +
        'Install a supported release with `npx zigimport toolchain install`, or point ZIGIMPORT_ZIG at one.',
    );
    this.version = version;
    this.zigPath = zigPath;
  }
}

/** One parsed compiler message. `file` is absolute when Zig printed an absolute path. */
export interface ZigDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'note';
  message: string;
}

/** Zig rejected the module. `diagnostics` holds the compiler's messages, parsed. */
export class ZigCompileError extends ZigImportError {
  readonly file: string;
  readonly diagnostics: ZigDiagnostic[];
  /** The compiler's complete output, for what the parser did not recognise. */
  readonly stderr: string;
  constructor(file: string, diagnostics: ZigDiagnostic[], stderr: string, message: string) {
    super('ZIGIMPORT_COMPILE_ERROR', message);
    this.file = file;
    this.diagnostics = diagnostics;
    this.stderr = stderr;
  }
}

/** The compiler ran longer than `ZIGIMPORT_TIMEOUT` and was stopped. */
export class ZigTimeoutError extends ZigImportError {
  constructor(file: string, seconds: number) {
    super(
      'ZIGIMPORT_TIMEOUT',
      `Compiling ${file} took longer than ${seconds} s and was stopped. ` + 'Raise ZIGIMPORT_TIMEOUT (seconds) if the module is simply large.',
    );
  }
}

/**
 * The cache folder, a folder inside it or one above it can be written by another user (or is
 * not what it should be), so something there could be another user's code. Nothing is loaded.
 */
export class UnsafeCacheError extends ZigImportError {
  /** The folder that failed the check. */
  readonly folder: string;
  /** What is wrong with it, e.g. `writable by others (mode 0777)`. */
  readonly problem: string;
  constructor(cacheDir: string, folder: string, problem: string, fix: string) {
    super(
      'ZIGIMPORT_UNSAFE_CACHE',
      `zigimport refuses the cache folder ${cacheDir}: ${folder} is ${problem}. Another user could put code ` +
        `there that this process would load. Fix: ${fix}, or set ZIGIMPORT_BUILD_DIR to a folder only you can write.`,
    );
    this.folder = folder;
    this.problem = problem;
  }
}

/** A build could not be loaded by `process.dlopen`, even after rebuilding it once. */
export class ZigLoadError extends ZigImportError {
  readonly file: string;
  readonly artifact: string;
  constructor(file: string, artifact: string, loaderMessage: string, cause: unknown) {
    super(
      'ZIGIMPORT_LOAD_FAILED',
      `The build of ${file} (${artifact}) could not be loaded: ${loaderMessage}\n` +
        'A freshly compiled build failed the same way, so the module itself cannot be loaded here: ' +
        'check the libraries and symbols it links (`extern` declarations, -l options). ' +
        'ZIGIMPORT_VERBOSE=1 shows the build steps.',
      { cause },
    );
    this.file = file;
    this.artifact = artifact;
  }
}

/** The disk holding the cache (or Zig's own cache) is full or over quota. */
export class ZigNoSpaceError extends ZigImportError {
  /** The zigimport cache folder. */
  readonly folder: string;
  constructor(folder: string, detail: string, cause: unknown) {
    super(
      'ZIGIMPORT_NO_SPACE',
      `No space left to build in the zigimport cache folder ${folder} (${detail}). Nothing was cached ` +
        'or loaded. Free some disk space, remove old builds with `npx zigimport clear-cache`, or set ' +
        'ZIGIMPORT_BUILD_DIR to a folder on a disk with room, then import again.',
      { cause },
    );
    this.folder = folder;
  }
}
