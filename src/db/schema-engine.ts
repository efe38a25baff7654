// Prisma's schema engine, compiled to WebAssembly, driven through the same pg adapter as the
// client. It writes `_prisma_migrations` exactly as `prisma migrate deploy` does, without the
// native engine binary that Prisma's CLI would otherwise download.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export type { SchemaEngine };
export { engineAdapter } from './engine-adapter.js';
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

// Node has WebAssembly; @types/node 20 does not declare it (TypeScript's lib.dom does).
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<void> | undefined;
let lastPanic: string | undefined;
let activeEngines = 0;
const timers = new Set<NodeJS.Timeout>();

/**
 * The engine arms timers (query timeouts) that it never clears; each would keep a finished
 * CLI alive for seconds. Track them, and clear what is left once no engine is running.
 */
function trackedSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    timers.delete(timer);
    callback();
  }, ms >>> 0);
  timers.add(timer);
  return timer;
}

function glue(): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...bg };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
  }
  return imports;
}

// The package's main entry imports the .wasm as an ES module, which Node 20 allows only
// behind --experimental-wasm-modules; instantiating it by hand avoids the flag.
function loadWasm(): Promise<void> {
  loading ??= (async () => {
    // The engine writes a Rust panic's message here, then traps with a bare "unreachable".
    Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: { set_message: (m: string) => (lastPanic = m) } });
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(jsPath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue() });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loading;
}

/** Runs `use` with an engine on the factory's database; closes every connection it opened. */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  // The engine never disposes the adapters it connects; track them to close their pools.
  const opened: SqlDriverAdapter[] = [];
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => (disposed ??= dispose()); // the engine may dispose some itself
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  };
  activeEngines++;
  let engine: SchemaEngine | undefined;
  try {
    engine = await bg.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(tracked),
    );
    return await use(engine);
  } catch (err) {
    if (!lastPanic) throw err;
    const message = `schema engine panicked: ${lastPanic}`;
    // A panicked instance is not safe to reuse: the next call loads a fresh one.
    [lastPanic, loading] = [undefined, undefined];
    throw new Error(message, { cause: err });
  } finally {
    engine?.free();
    await Promise.all(opened.map((a) => a.dispose()));
    if (--activeEngines === 0) {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    }
  }
}
