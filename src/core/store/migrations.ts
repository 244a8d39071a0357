// The schema migration registry, keyed by domain ('traces', 'scores', 'datasets', 'runs',
// ...), so each domain owns its tables without coordinating version numbers with the
// others. Each domain's migrations run in version order, each exactly once per database,
// recorded in the `_migrations` table. Domains are applied in the order they registered.
import type { Writer } from './store';

export interface Migration {
  /** 1, 2, 3, ... within the domain. */
  version: number;
  /** What it changes, for humans reading `_migrations`. */
  description?: string;
  /**
   * SQL (several statements allowed) or a function of the write transaction. Must be
   * deterministic: no random(), no 'now' (migrations replay from the journal like any write).
   */
  up: string | ((tx: Writer) => void);
}

const registry = new Map<string, Migration[]>();
let generation = 0;

/**
 * Registers (or extends) a domain's migrations. Call it at module load of the domain's
 * schema file; registering the same version twice with different SQL is a programming error.
 */
export function registerMigrations(domain: string, migrations: readonly Migration[]): void {
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(domain)) throw new Error(`Migration domain "${domain}" must be lowercase letters, digits, _ or -.`);
  const merged = new Map<number, Migration>((registry.get(domain) ?? []).map((m) => [m.version, m]));
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`Migration ${domain}@${m.version}: version must be an integer >= 1.`);
    const existing = merged.get(m.version);
    if (existing && String(existing.up) !== String(m.up)) throw new Error(`Migration ${domain}@${m.version} is registered twice with different content.`);
    merged.set(m.version, m);
  }
  const sorted = [...merged.values()].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations of "${domain}" must be numbered 1, 2, 3, ... without gaps (found ${sorted.map((x) => x.version).join(', ')}).`);
  });
  registry.set(domain, sorted);
  generation++;
}

/** Increases whenever a registration changes the registry (the store re-checks then). */
export function registryGeneration(): number {
  return generation;
}

export function registeredDomains(): ReadonlyMap<string, readonly Migration[]> {
  return registry;
}

export const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS _migrations (
  domain TEXT NOT NULL,
  version INTEGER NOT NULL,
  description TEXT,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (domain, version)
) WITHOUT ROWID`;

/** Migrations registered but not yet applied to the database behind `tx`, in application order. */
export function pendingMigrations(tx: Pick<Writer, 'all'>): Array<{ domain: string; migration: Migration }> {
  const applied = new Map<string, number>();
  for (const r of tx.all<{ domain: string; v: number }>('SELECT domain, max(version) AS v FROM _migrations GROUP BY domain')) applied.set(r.domain, r.v);
  const out: Array<{ domain: string; migration: Migration }> = [];
  for (const [domain, list] of registry) {
    const current = applied.get(domain) ?? 0;
    for (const m of list) if (m.version > current) out.push({ domain, migration: m });
  }
  return out;
}

/** Applies the pending migrations inside the caller's write transaction. */
export function applyMigrations(tx: Writer, appliedAt: string): number {
  const pending = pendingMigrations(tx);
  for (const { domain, migration } of pending) {
    if (typeof migration.up === 'string') tx.exec(migration.up);
    else migration.up(tx);
    tx.run('INSERT INTO _migrations(domain, version, description, applied_at) VALUES (?, ?, ?, ?)', [domain, migration.version, migration.description ?? null, appliedAt]);
  }
  return pending.length;
}
