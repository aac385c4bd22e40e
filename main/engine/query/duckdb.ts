// DuckDB, opened the one way Assay uses it: an in-memory database that never installs or loads an
// extension (JSON and Parquet are built into the binary that ships in the npm package), two threads, a
// memory limit, spilling only into a private temporary directory, and its configuration locked before
// any query over bundle data runs.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDbOptions {
  /** DuckDB memory limit (default 2GB): larger results spill to the private temporary directory. */
  readonly memoryLimit?: string | undefined;
  readonly threads?: number | undefined;
  readonly tempParent?: string | undefined;
}

export interface DuckDb {
  readonly connection: DuckDBConnection;
  close(): Promise<void>;
}

export const DEFAULT_MEMORY_LIMIT = '2GB';
const BUILT_IN_EXTENSIONS = ['json', 'parquet'] as const;

export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDb> {
  const tempDir = await mkdtemp(join(options.tempParent ?? tmpdir(), 'assay-duckdb-'));
  let instance: DuckDBInstance | null = null;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      allow_unsigned_extensions: 'false',
      threads: String(options.threads ?? 2),
      memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      temp_directory: tempDir,
      // Even an explicit INSTALL (Assay never issues one) finds only this empty local directory.
      custom_extension_repository: join(tempDir, 'no-extensions'),
      extension_directory: join(tempDir, 'extensions'),
    });
    const connection = await instance.connect();
    const loaded = (await connection.runAndReadAll('SELECT extension_name FROM duckdb_extensions() WHERE loaded')).getRows().map((r) => String(r[0]));
    const missing = BUILT_IN_EXTENSIONS.filter((e) => !loaded.includes(e));
    if (missing.length > 0) throw new Error(`this DuckDB build lacks the built-in ${missing.join(' and ')} extension; Assay never downloads extensions`);
    await connection.run('SET lock_configuration = true');
    const opened = instance;
    return {
      connection,
      async close() {
        connection.closeSync();
        opened.closeSync();
        await rm(tempDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    instance?.closeSync();
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}

/** A SQL string literal. Used for file paths, which DuckDB's table functions take only as literals. */
export function sqlString(text: string): string {
  if (text.includes('\0')) throw new Error('a NUL byte cannot be part of a SQL string');
  return `'${text.replaceAll("'", "''")}'`;
}

/** A JSON path for json_extract_string from plain field names: `$."request"."region"`. */
export function jsonPath(segments: readonly string[]): string {
  return `$${segments.map((s) => `."${s}"`).join('')}`;
}
