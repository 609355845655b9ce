// `npm run build:electron`: bundles the main process and the preload with esbuild.
//   electron/main.ts    → dist/electron/main.js     (ESM: package.json "type": "module", "main" points here)
//   electron/preload.ts → dist/electron/preload.cjs (CommonJS: a sandboxed preload cannot be ESM)
//   electron/serve/serve-main.ts → dist/electron/serve-main.js (serve mode's host as it is run
//     for real: plain Node, no TypeScript loader, which alone holds ~70 MB — `npm run serve`)
// Electron itself and native modules stay external: they are loaded from node_modules at run time.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';
import { CONTRACT_EVENTS, CONTRACT_METHODS } from '../shared/contract.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ELECTRON_OUT_DIR = path.join(repoRoot, 'dist', 'electron');
export const MAIN_OUTFILE = path.join(ELECTRON_OUT_DIR, 'main.js');
export const PRELOAD_OUTFILE = path.join(ELECTRON_OUT_DIR, 'preload.cjs');
export const SERVE_OUTFILE = path.join(ELECTRON_OUT_DIR, 'serve-main.js');
/**
 * Node flags the serve host runs with (`npm run serve`, and the benchmarks that start it). V8's
 * young generation defaults to 16 MB semi-spaces, and after a sync of 100,000 clients the heap
 * kept ~150 MB committed for ~50 MB in use; 2 MB semi-spaces cost a few more scavenges and keep
 * the host ~70 MB smaller (bench/README.md, "host RSS"). `--optimize-for-size` makes V8 grow its
 * old generation more slowly: the first sync's page-by-page garbage is collected before the heap
 * swells (peak during a first sync of 100,000 clients 330 → 250 MB in the window-load probe).
 * package.json's serve script repeats them; scripts/build-serve-host.test.ts checks that the two agree.
 */
export const SERVE_HOST_NODE_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'] as const;

/** Loaded at run time, never bundled: Electron's own module, and modules with native or bundled binaries. */
export const MAIN_EXTERNALS = ['electron', 'keytar', 'better-sqlite3', 'clipboardy'];
/** Serve mode also bundles its browser bridge at run time, with esbuild (a binary of its own). */
export const SERVE_EXTERNALS = [...MAIN_EXTERNALS, 'esbuild'];

/**
 * The preload needs only the names of the contract's methods and events, not zod and the
 * schemas: this plugin replaces shared/contract.ts, for the preload bundle only, with a module
 * generated from the contract that exports just those two lists.
 */
export const contractNamesOnly: Plugin = {
  name: 'contract-names-only',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]shared[\\/]contract\.ts$/ }, () => ({
      contents: `export const CONTRACT_METHODS = ${JSON.stringify(CONTRACT_METHODS)};\nexport const CONTRACT_EVENTS = ${JSON.stringify(CONTRACT_EVENTS)};\n`,
      loader: 'js',
    }));
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: repoRoot,
};

// Bundled CommonJS dependencies may call require(); give an ESM bundle one.
const REQUIRE_BANNER = { js: "import { createRequire as __thetasecureCreateRequire } from 'node:module'; const require = __thetasecureCreateRequire(import.meta.url);" };

export async function buildElectron(options: { outDir?: string } = {}): Promise<{ main: string; preload: string; serve: string }> {
  const outDir = options.outDir ?? ELECTRON_OUT_DIR;
  const main = path.join(outDir, path.basename(MAIN_OUTFILE));
  const preload = path.join(outDir, path.basename(PRELOAD_OUTFILE));
  const serve = path.join(outDir, path.basename(SERVE_OUTFILE));
  await build({ ...common, entryPoints: [path.join(repoRoot, 'electron/main.ts')], outfile: main, format: 'esm', external: MAIN_EXTERNALS, banner: REQUIRE_BANNER });
  await build({ ...common, entryPoints: [path.join(repoRoot, 'electron/serve/serve-main.ts')], outfile: serve, format: 'esm', external: SERVE_EXTERNALS, banner: REQUIRE_BANNER });
  await build({
    ...common,
    entryPoints: [path.join(repoRoot, 'electron/preload.ts')],
    outfile: preload,
    format: 'cjs',
    platform: 'browser',
    target: 'chrome130',
    // A sandboxed preload can require only 'electron' (and a few polyfilled modules): everything else is bundled.
    external: ['electron'],
    plugins: [contractNamesOnly],
  });
  return { main, preload, serve };
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  buildElectron().then(
    (out) => console.log(`Built ${[out.main, out.preload, out.serve].map((file) => path.relative(repoRoot, file)).join(', ')}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
