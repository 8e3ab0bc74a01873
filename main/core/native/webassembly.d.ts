/**
 * The WebAssembly JS API the kernel loaders use. TypeScript declares it in lib.dom only, and this
 * Node project compiles without DOM types (the renderer has its own tsconfig); Node 20 provides
 * all of it at run time. Interfaces merge with the empty `WebAssembly.Module` that
 * @types/emscripten (through tfjs-backend-wasm's types) declares.
 */
declare namespace WebAssembly {
  type ImportExportKind = 'function' | 'global' | 'memory' | 'table' | 'tag';
  type ExportValue = ((...args: never[]) => unknown) | Global | Memory;
  type Exports = Record<string, ExportValue>;
  type ImportValue = ExportValue | number;
  type Imports = Record<string, Record<string, ImportValue>>;
  type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'anyfunc' | 'externref';

  interface ModuleImportDescriptor {
    kind: ImportExportKind;
    module: string;
    name: string;
  }

  interface ModuleExportDescriptor {
    kind: ImportExportKind;
    name: string;
  }

  // Opaque, as in lib.dom (and @types/emscripten, which declares the same empty interface).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Module {}
  const Module: {
    prototype: Module;
    new (bytes: ArrayBufferView | ArrayBuffer): Module;
    imports(moduleObject: Module): ModuleImportDescriptor[];
    exports(moduleObject: Module): ModuleExportDescriptor[];
  };

  interface Instance {
    readonly exports: Exports;
  }
  const Instance: {
    prototype: Instance;
    new (module: Module, importObject?: Imports): Instance;
  };

  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  interface Memory {
    /** A SharedArrayBuffer for a shared memory (a new object after each grow). */
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  const Memory: {
    prototype: Memory;
    new (descriptor: MemoryDescriptor): Memory;
  };

  interface GlobalDescriptor {
    mutable?: boolean;
    value: ValueType;
  }

  interface Global {
    value: unknown;
    valueOf(): unknown;
  }
  const Global: {
    prototype: Global;
    new (descriptor: GlobalDescriptor, v?: unknown): Global;
  };
}
