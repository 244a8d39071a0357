// The payload of one journal frame: the statements of one committed write transaction with
// their bound parameters, replayed verbatim on open. Replay is deterministic because
// everything that varies (ids, timestamps) is computed in JS and bound as a parameter; see
// `assertDeterministic` for the SQL the store refuses in write transactions.
import type { SqlParams, SqlValue } from './types';

/** One recorded operation: [index into `sql`] for exec, [index, params] for a prepared run. */
export type Op = [number] | [number, SqlParams];

export interface TxPayload {
  /** Distinct SQL texts of the transaction (a batch of 5000 inserts repeats one text). */
  s: string[];
  o: Op[];
  /** Set when some parameter is a blob (encoded as {"$b": base64}). */
  b?: 1;
}

/** Collects the operations of one transaction. */
export class TxRecorder {
  private readonly sqlIndex = new Map<string, number>();
  private readonly payload: TxPayload = { s: [], o: [] };

  get empty(): boolean {
    return this.payload.o.length === 0;
  }

  exec(sql: string): void {
    this.payload.o.push([this.indexOf(sql)]);
  }

  run(sql: string, params: SqlParams): void {
    if (checkParams(params)) this.payload.b = 1;
    this.payload.o.push([this.indexOf(sql), params]);
  }

  encode(): Buffer {
    const text = this.payload.b ? JSON.stringify(this.payload, blobReplacer) : JSON.stringify(this.payload);
    return Buffer.from(text, 'utf8');
  }

  private indexOf(sql: string): number {
    let i = this.sqlIndex.get(sql);
    if (i === undefined) {
      i = this.payload.s.length;
      this.payload.s.push(sql);
      this.sqlIndex.set(sql, i);
    }
    return i;
  }
}

export function decodePayload(bytes: Buffer): TxPayload {
  const text = bytes.toString('utf8');
  const payload = JSON.parse(text, text.includes('"b":1') ? blobReviver : undefined) as TxPayload;
  if (!payload || !Array.isArray(payload.s) || !Array.isArray(payload.o)) throw new Error('journal payload is not a transaction record');
  return payload;
}

/** Validates bound values (JSON must round-trip them exactly); returns true when one is a blob. */
function checkParams(params: SqlParams): boolean {
  let blob = false;
  const values: SqlValue[] = Array.isArray(params) ? (params as SqlValue[]) : Object.values(params as Record<string, SqlValue>);
  for (const v of values) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`Cannot store the number ${v} (not finite); bind null or a string instead.`);
    } else if (v instanceof Uint8Array) blob = true;
    else if (v !== null && typeof v !== 'string' && typeof v !== 'boolean') {
      throw new Error(`Cannot bind a ${typeof v} as an SQL parameter; use a string, number, boolean, null or Uint8Array.`);
    }
  }
  return blob;
}

function blobReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  // Buffer.toJSON runs before the replacer sees a Buffer; undo that.
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return { $b: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}

function blobReviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { $b?: unknown }).$b === 'string' && Object.keys(value).length === 1) {
    return new Uint8Array(Buffer.from((value as { $b: string }).$b, 'base64'));
  }
  return value;
}

const NONDETERMINISTIC = /\b(random|randomblob)\s*\(|'now'|\bcurrent_(timestamp|date|time)\b|\b(datetime|date|time|julianday|unixepoch)\s*\(\s*\)/i;
const checked = new Map<string, boolean>();

/**
 * Refuses SQL whose effect would differ when the journal is replayed: random(), 'now',
 * CURRENT_TIMESTAMP. Compute such values in JS and bind them. (Checked once per SQL text.)
 */
export function assertDeterministic(sql: string): void {
  let ok = checked.get(sql);
  if (ok === undefined) {
    ok = !NONDETERMINISTIC.test(sql);
    if (checked.size > 5000) checked.clear();
    checked.set(sql, ok);
  }
  if (!ok) {
    throw new Error(
      `This SQL would not replay identically from the journal: ${sql.slice(0, 200)}. Compute random values and timestamps in JS and bind them as parameters.`,
    );
  }
}
