import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// @ts-ignore import.meta is rewritten for the CommonJS build by scripts/build.mjs
const moduleUrl: string = import.meta.url;
const fromSource = moduleUrl.endsWith('.ts');

/** The capture process's entry point, beside this module in `src/` or in `dist/`. */
export const CAPTURE_PROCESS = fileURLToPath(new URL(`./capture-process.${fromSource ? 'ts' : 'js'}`, moduleUrl));

/**
 * Node's arguments before the entry point: run from the TypeScript sources, it needs tsx,
 * found from here, for the application's working directory may have none.
 */
export const CAPTURE_PROCESS_NODE_ARGS: readonly string[] = fromSource ? ['--import', pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href] : [];
