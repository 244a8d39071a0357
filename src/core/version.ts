// Injected by esbuild from package.json (see esbuild.mjs `define`); falls back for plain tsc.
declare const __TUNIX_VERSION__: string | undefined;
export const VERSION: string = typeof __TUNIX_VERSION__ === 'string' ? __TUNIX_VERSION__ : '0.0.0-dev';
