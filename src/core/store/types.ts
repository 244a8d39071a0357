// Value types shared by the store's modules and its callers.

/** What a parameter or a column can be. Numbers must be finite (they round-trip through JSON). */
export type SqlValue = string | number | boolean | null | Uint8Array;

/** Positional (`?`) or named (`$name`, `:name`, `@name`, keys written with their prefix) parameters. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

/** One result row, column name -> value (text, number, null or blob). */
export type Row = Record<string, string | number | null | Uint8Array>;
