// The traces API over the store (documented in ../index.ts).
import './schema';
export * from './model';
export * from './query';
export * from './read';
export * from './write';
