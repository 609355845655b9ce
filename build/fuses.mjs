// @ts-check
// The Electron fuses every packaged build ships with. One object, so that the after-pack hook
// applies exactly this and the packaging check (scripts/pack-check.test.ts) asserts exactly this.
// Fuses are bits baked into the Electron binary: unlike command-line switches or environment
// variables, a user or malware on the machine cannot turn them back on without re-signing.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** @type {import('@electron/fuses').FuseV1Config} */
export const FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS (e.g. --require evil.js) must not inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would attach a debugger to the process that holds the tokens.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Cookies on disk encrypted with the OS keychain key, like Chrome does.
  [FuseV1Options.EnableCookieEncryption]: true,
  // app.asar is checked against the hash embedded at packaging (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only resources/app.asar is loaded: a dropped-in resources/app/ folder is ignored.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer is served from app://, so file:// needs none of its legacy extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // Electron's default, stated so that every known fuse has a decided value.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
};
