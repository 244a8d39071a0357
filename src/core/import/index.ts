// Importing traces into the store (see importTraces.ts; the API is described in ../store/index.ts).
export * from './importTraces';
export { expandInputs, type ImportFile } from './inputs';
export { fromExportFormat, parseModelTurn, type ExportFormatName } from './exportFormats';
export { readLines, type TextLine } from './lineReader';
