// Types for fuses.mjs (build/ holds plain ESM that electron-builder loads without a compiler).
import type { FuseV1Config } from '@electron/fuses';

export declare const FUSES: FuseV1Config;
