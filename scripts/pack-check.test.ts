// The packaging check: packs the real build outputs with the real electron-builder.yml (target
// `dir`, Linux x64) and checks what an installed app would hold. The one stand-in is the
// Electron binary: it cannot be downloaded here, so a folder shaped like an unpacked Electron
// dist is made with a placeholder executable that carries a real fuse wire (sentinel + fuse
// bytes at Electron's defaults). The after-pack hook flips that wire exactly as it would flip
// the real binary's, and the test reads it back.
//
// Needs dist/ (`npm run build`; scripts/run-tests.ts builds before testing).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractFile, getRawHeader, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { init as initLexer, parse as parseImports } from 'es-module-lexer';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_SCHEME } from '../electron/deep-link.ts';
import { afterPack, fusesNotAsConfigured } from '../build/after-pack.mjs';
import { FUSES } from '../build/fuses.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const ELECTRON_VERSION = '45.5.0';
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 45's shipped defaults, in wire order: RunAsNode on, cookie encryption off,
// NODE_OPTIONS on, --inspect on, asar integrity off, only-asar off, V8 snapshot off,
// file:// privileges on. Packing must change every one the app cares about.
const STOCK_WIRE = '10110001';

const BUILT = ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  afterPack: string;
  directories: { buildResources: string };
  linux: { target: string[]; icon: string; executableName: string };
  mac: { target: string[]; icon: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
  win: { target: string[]; icon: string };
  protocols: { name: string; schemes: string[] }[];
}
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** A folder shaped like Electron's unpacked linux-x64 zip; the executable is a placeholder. */
async function makeStandInElectronDist(dir: string, wire = STOCK_WIRE): Promise<void> {
  await mkdir(path.join(dir, 'locales'), { recursive: true });
  await mkdir(path.join(dir, 'resources'), { recursive: true });
  const executable = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary"\nexit 1\n# '),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, wire.length]), // fuse wire version 1, then its length
    Buffer.from(wire, 'ascii'),
    Buffer.from('\n'),
  ]);
  await writeFile(path.join(dir, 'electron'), executable);
  await chmod(path.join(dir, 'electron'), 0o755);
  await writeFile(path.join(dir, 'version'), ELECTRON_VERSION);
  await writeFile(path.join(dir, 'LICENSE'), 'stand-in\n');
  await writeFile(path.join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>\n');
  await writeFile(path.join(dir, 'locales', 'en-US.pak'), 'stand-in\n');
}

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).toString('hex'), `${file} is a PNG`).toBe('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('registers the thetasecure-admin:// link scheme the app handles (issue 11 links)', () => {
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toEqual([LINK_SCHEME]);
  });

  it('builds ThetaSecure Admin as AppImage + deb, a hardened-runtime dmg and an NSIS installer', () => {
    expect(config.appId).toBe('com.thetasecure.admin');
    expect(config.productName).toBe('ThetaSecure Admin');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.win.target).toContain('nsis');
    for (const plist of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const text = readFileSync(path.join(root, plist), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      const granted = [...text.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1]);
      // V8 needs JIT; nothing that would reopen what the hardened runtime closes.
      expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });

  it('has a 512×512 PNG icon for every platform (electron-builder derives .icns and .ico from it)', () => {
    for (const icon of new Set([config.linux.icon, config.mac.icon, config.win.icon])) {
      expect(pngSize(path.join(root, icon))).toEqual({ width: 512, height: 512 });
    }
  });

  it('wires the fuse hook and asks for every fuse of the issue', () => {
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    expect(FUSES).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
  });
});

describe('the after-pack hook', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-fuse-hook-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('fails the build, rather than ship unfused, when the binary has no fuse wire (stand-in binary)', async () => {
    await writeFile(path.join(tmp, 'thetasecure-admin'), '#!/bin/sh\nexit 1\n');
    const context = {
      appOutDir: tmp,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: 'thetasecure-admin', appInfo: { productFilename: 'ThetaSecure Admin' } },
    } as unknown as Parameters<typeof afterPack>[0];
    await expect(afterPack(context)).rejects.toThrow(/sentinel/i);
  });

  it('names each fuse that does not hold its configured value', () => {
    const wire: Record<string, unknown> = { version: '1' };
    [...'01001100'].forEach((bit, i) => (wire[i] = bit.charCodeAt(0)));
    expect(fusesNotAsConfigured(wire)).toEqual([]);
    wire[FuseV1Options.RunAsNode] = '1'.charCodeAt(0);
    expect(fusesNotAsConfigured(wire)).toEqual(['RunAsNode']);
  });
});

describe('the packed app (electron-builder --dir with a stand-in Electron binary)', () => {
  let tmp: string;
  let appOutDir: string;
  let asar: string;
  let entries: string[];

  beforeAll(async () => {
    const missing = BUILT.filter((file) => !existsSync(path.join(root, file)));
    if (missing.length > 0) {
      throw new Error(`The packaging check needs the build outputs; missing ${missing.join(', ')}. Run \`npm run build\` first.`);
    }
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-pack-check-'));
    const electronDist = path.join(tmp, 'electron-dist');
    await makeStandInElectronDist(electronDist);
    const output = path.join(tmp, 'release');
    try {
      await run(
        process.execPath,
        [
          path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
          '--config', 'electron-builder.yml',
          '--linux', 'dir', '--x64',
          `-c.electronDist=${electronDist}`,
          `-c.electronVersion=${ELECTRON_VERSION}`,
          `-c.directories.output=${output}`,
        ],
        // No code signing or publishing applies to a Linux dir target; CI=true keeps the output plain.
        { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CI: 'true' } },
      );
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`electron-builder failed:\n${stdout}\n${stderr}`, { cause: error });
    }
    appOutDir = path.join(output, 'linux-unpacked');
    asar = path.join(appOutDir, 'resources', 'app.asar');
    entries = listPackage(asar, { isPack: false }).map((entry) => entry.replace(/\\/g, '/').replace(/^\//, ''));
  }, 150_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('holds the built main, preload, renderer and package.json', () => {
    expect(entries).toEqual(expect.arrayContaining([...BUILT, 'package.json']));
    const shipped = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main?: string; name?: string };
    expect(shipped.main, 'package.json "main" of the packed app').toBe('dist/electron/main.js');
  });

  it('holds every asset the renderer page references', () => {
    const html = extractFile(asar, 'dist/renderer/index.html').toString('utf8');
    const references = [...html.matchAll(/(?:src|href)="([^"#?]+)"/g)]
      .map((match) => match[1]!)
      .filter((ref) => !/^[a-z][a-z0-9+.-]*:/i.test(ref)); // local files only, not app:// or data: URLs
    for (const ref of references) {
      const inAsar = path.posix.normalize(path.posix.join('dist/renderer', ref.replace(/^\//, '')));
      expect(entries, `index.html references ${ref}`).toContain(inAsar);
    }
  });

  it('lacks sources, tests, source maps, .env files, bench data, the server and the e2e suite', () => {
    const appFiles = entries.filter((entry) => entry !== 'node_modules' && !entry.startsWith('node_modules/'));
    const offending = appFiles.filter(
      (entry) =>
        /\.(ts|tsx|mts|cts)$/.test(entry) ||
        /\.(test|spec)\./.test(entry) ||
        /\.map$/.test(entry) ||
        /(^|\/)\.env(\..*)?$/.test(entry) ||
        /^(bench|server|e2e|electron|renderer|shared|scripts|build|docs|release|test-results)(\/|$)/.test(entry) ||
        /^(tsconfig|vitest\.config|eslint\.config|electron-builder)\b/.test(entry),
    );
    expect(offending).toEqual([]);
    // Everything outside node_modules is a build output or the manifest.
    expect(appFiles.filter((entry) => !/^(dist(\/|$)|package\.json$)/.test(entry))).toEqual([]);
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([]);
  });

  it('ships no server or renderer-library dependency: only the native modules the main bundle leaves external, and the loader of one', () => {
    const modules = new Set(entries.filter((entry) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(entry) && !/^node_modules\/@[^/]+$/.test(entry)).map((entry) => entry.slice('node_modules/'.length)));
    expect([...modules].sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path', 'keytar']);
  });

  it('ships every module the main bundle imports at run time', async () => {
    await initLexer;
    const bundle = readFileSync(path.join(root, 'dist/electron/main.js'), 'utf8');
    const [imports] = parseImports(bundle);
    const builtins = new Set(builtinModules);
    const external = new Set(
      imports
        .map((entry) => entry.n)
        .filter((name): name is string => !!name && !name.startsWith('.') && !name.startsWith('/'))
        .filter((name) => !name.startsWith('node:') && !builtins.has(name.split('/')[0]!))
        .filter((name) => name !== 'electron' && !name.startsWith('electron/'))
        .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!)),
    );
    for (const name of external) {
      expect(entries, `dist/electron/main.js imports ${name}`).toContain(`node_modules/${name}/package.json`);
    }
  });

  it.each([
    ['keytar', 'keytar.node'],
    ['better-sqlite3', 'better_sqlite3.node'],
  ])("unpacks %s's native module next to the archive, where Electron can load it", (module, binary) => {
    const unpacked = path.join(appOutDir, 'resources', 'app.asar.unpacked', 'node_modules', module, 'build', 'Release', binary);
    expect(existsSync(unpacked), unpacked).toBe(true);
    // A real ELF shared object, not an empty placeholder.
    expect(readFileSync(unpacked).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    const header = getRawHeader(asar).header as { files: Record<string, { files?: Record<string, unknown>; unpacked?: boolean }> };
    let node: { files?: Record<string, unknown>; unpacked?: boolean } | undefined = { files: header.files };
    for (const part of ['node_modules', module, 'build', 'Release', binary]) {
      node = node?.files?.[part] as typeof node;
    }
    expect(node?.unpacked, `app.asar marks ${binary} as unpacked`).toBe(true);
  });

  it('ships the JavaScript better-sqlite3 loads at run time (its lib and the bindings loader)', () => {
    for (const file of ['node_modules/better-sqlite3/lib/index.js', 'node_modules/better-sqlite3/lib/methods/transaction.js', 'node_modules/bindings/bindings.js', 'node_modules/file-uri-to-path/index.js']) {
      expect(entries, file).toContain(file);
    }
  });

  it('flips the fuses of the packed binary to the configured values', async () => {
    const binary = path.join(appOutDir, config.linux.executableName);
    const wire = await getCurrentFuseWire(binary);
    const bit = (fuse: FuseV1Options) => String.fromCharCode(wire[fuse] as number);
    expect({
      RunAsNode: bit(FuseV1Options.RunAsNode),
      EnableNodeOptionsEnvironmentVariable: bit(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      EnableNodeCliInspectArguments: bit(FuseV1Options.EnableNodeCliInspectArguments),
      EnableCookieEncryption: bit(FuseV1Options.EnableCookieEncryption),
      EnableEmbeddedAsarIntegrityValidation: bit(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      OnlyLoadAppFromAsar: bit(FuseV1Options.OnlyLoadAppFromAsar),
      GrantFileProtocolExtraPrivileges: bit(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({
      RunAsNode: '0',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableCookieEncryption: '1',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      GrantFileProtocolExtraPrivileges: '0',
    });
    expect(fusesNotAsConfigured(wire as unknown as Record<string, unknown>)).toEqual([]);
    // The rest of the placeholder is untouched: only the wire changed.
    expect((await readFile(binary, 'utf8')).startsWith('#!/bin/sh\necho "stand-in for the Electron binary"')).toBe(true);
  });
});
