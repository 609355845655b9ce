// What tsc sees for `electron` when the optional package is not installed (npm skips an optional
// dependency it cannot install: no binary download, or a Node older than Electron's installer
// needs). tsconfig.json's `paths` tries node_modules/electron first, so where Electron is
// installed its real types are used; here the Electron glue (main.ts, preload.ts, ...) is
// checked only for its own logic (every Electron value is `any`; callbacks passed to Electron
// carry their own parameter types).
/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;
export type WebContents = Loose;
export type WebPreferences = Record<string, unknown>;
export type IpcRendererEvent = Loose;
export type IpcMainInvokeEvent = Loose;
export type BrowserWindow = Loose;
export declare const BrowserWindow: Loose;
export declare const app: Loose;
export declare const clipboard: Loose;
export declare const contextBridge: Loose;
export declare const ipcRenderer: Loose;
export declare const ipcMain: Loose;
export declare const protocol: Loose;
export declare const session: Loose;
export declare const shell: Loose;
export declare const dialog: Loose;
