/**
 * jsonc-parser, imported from its ES module build: its `main` is a UMD bundle whose
 * run-time `require('./impl/...')` calls esbuild cannot follow, so bundles built from the
 * default entry fail with "Cannot find module './impl/format'". Import jsonc-parser from here.
 */
export * from 'jsonc-parser/lib/esm/main.js';
