// Generates /serve-bridge.js: the browser-side bridge of serve mode, bundled by esbuild from
// serve-bridge-client.ts with the method and event names taken from the contract, so a method
// added to the contract is in the bridge without being listed here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CONTRACT_EVENTS, CONTRACT_METHODS } from '../../shared/contract.ts';

// The bridge's source, from the repository root: this module runs from electron/serve/ (tsx) or
// bundled into dist/electron/serve-main.js, both two folders below the root.
const sourceDir = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), 'electron', 'serve');

export function serveBridgeEntrySource(): string {
  return [
    `import { installServeBridge } from './serve-bridge-client.ts';`,
    `installServeBridge(${JSON.stringify(CONTRACT_METHODS)}, ${JSON.stringify(CONTRACT_EVENTS)});`,
  ].join('\n');
}

let cached: Promise<string> | undefined;

export function generateServeBridgeScript(): Promise<string> {
  cached ??= build({
    stdin: { contents: serveBridgeEntrySource(), resolveDir: sourceDir, sourcefile: 'serve-bridge-entry.ts', loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no serve bridge.');
    return `// ThetaSecure Admin serve-mode bridge, generated from shared/contract.ts.\n${file.text}`;
  });
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
