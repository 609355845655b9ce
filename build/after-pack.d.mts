// Types for after-pack.mjs (build/ holds plain ESM that electron-builder loads without a compiler).
import type { AfterPackContext } from 'electron-builder';

export declare function electronBinaryPath(context: AfterPackContext): string;
export declare function fusesNotAsConfigured(wire: Record<string, unknown>): string[];
export declare function afterPack(context: AfterPackContext): Promise<void>;
export default afterPack;
