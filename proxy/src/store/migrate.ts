// Versioned schema migrations. The version lives in SQLite's own `user_version`; each migration runs in one
// immediate transaction together with the version bump, so a crash leaves the database at one version or the
// next, and two gateways starting on the same file do not both apply it.
import type { Db } from './sqlite.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database ${file} is at schema version ${databaseVersion}, but this gateway knows versions up to ${codeVersion}: ` +
        'it was written by a newer Coding Gateway. Start that newer version, or point DATA_DIR at another folder.',
    );
    this.name = 'SchemaTooNewError';
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database up to the newest migration; returns the versions before and after. */
export function migrate(db: Db, migrations: readonly Migration[], file: string): { from: number; to: number } {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration versions must run 1, 2, 3…; found ${m.version} (${m.name}) at position ${i + 1}`);
  });
  const latest = ordered.length;
  const from = schemaVersion(db);
  if (from > latest) throw new SchemaTooNewError(file, from, latest);

  for (const migration of ordered) {
    db.transaction(() => {
      // Read again inside the write lock: another process may have migrated meanwhile.
      const current = schemaVersion(db);
      if (current >= migration.version) return;
      if (current !== migration.version - 1) throw new Error(`Database at version ${current} cannot take migration ${migration.version}`);
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}
