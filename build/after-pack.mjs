// @ts-check
// electron-builder's afterPack hook (wired in electron-builder.yml): flips the fuses of
// build/fuses.mjs in the packed Electron binary, then reads the wire back and fails the build
// if any fuse does not hold the value we asked for. It runs before code signing, which is
// where fuses must be flipped (signing covers the modified binary).
import path from 'node:path';
import { FuseV1Options, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { Arch } from 'electron-builder';
import { FUSES } from './fuses.mjs';

// Byte values @electron/fuses writes into the wire ('0' and '1').
const FUSE_DISABLED = '0'.charCodeAt(0);
const FUSE_ENABLED = '1'.charCodeAt(0);

/**
 * Where the Electron binary (or, on macOS, the .app whose framework holds the wire) is.
 * @param {import('electron-builder').AfterPackContext} context
 */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    default:
      // Linux renames the binary to the executableName of electron-builder.yml.
      return path.join(appOutDir, /** @type {import('electron-builder').LinuxPackager} */ (packager).executableName);
  }
}

/**
 * Names of the fuses whose value in `wire` differs from `FUSES` (empty when all hold).
 * @param {Record<string, unknown>} wire as returned by getCurrentFuseWire
 * @returns {string[]}
 */
export function fusesNotAsConfigured(wire) {
  /** @type {Record<string, unknown>} */
  const wanted = { ...FUSES };
  return Object.keys(wanted)
    .filter((key) => /^\d+$/.test(key))
    .filter((key) => wire[key] !== (wanted[key] ? FUSE_ENABLED : FUSE_DISABLED))
    .map((key) => FuseV1Options[Number(key)] ?? `fuse ${key}`);
}

/** @param {import('electron-builder').AfterPackContext} context */
export async function afterPack(context) {
  const binary = electronBinaryPath(context);
  // Flipping fuses invalidates the ad-hoc signature arm64 macOS binaries carry; re-sign ad hoc
  // so an unsigned local build still starts (a real signature is applied after this hook).
  const resetAdHocDarwinSignature =
    context.electronPlatformName === 'darwin' && (context.arch === Arch.arm64 || context.arch === Arch.universal);
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature });
  const wrong = fusesNotAsConfigured(await getCurrentFuseWire(binary));
  if (wrong.length > 0) {
    throw new Error(`Electron fuses not as configured in build/fuses.mjs after flipping (${wrong.join(', ')}) in ${binary}`);
  }
  console.log(`  • fuses set  binary=${path.relative(process.cwd(), binary)}`);
}

export default afterPack;
