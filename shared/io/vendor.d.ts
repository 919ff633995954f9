// Just the parts shared/io uses of libraries whose own typings (@types/shapefile, @types/sql.js,
// @types/papaparse) pull in Node's types, which shared/ must not see (shared/tsconfig.json).

declare module 'shapefile' {
  export interface ShpSource {
    bbox: number[];
    read(): Promise<{ done: boolean; value: { type: string; coordinates: unknown } | null }>;
    cancel(): Promise<void>;
  }
  export function openShp(source: ArrayBuffer | Uint8Array): Promise<ShpSource>;
}

declare module 'sql.js' {
  export type SqlValue = number | string | Uint8Array | null;
  export interface QueryExecResult {
    columns: string[];
    values: SqlValue[][];
  }
  export interface Statement {
    bind(values?: SqlValue[]): boolean;
    step(): boolean;
    get(): SqlValue[];
    getColumnNames(): string[];
    run(values?: SqlValue[]): void;
    reset(): void;
    free(): boolean;
  }
  export interface Database {
    exec(sql: string, params?: SqlValue[]): QueryExecResult[];
    run(sql: string, params?: SqlValue[]): Database;
    prepare(sql: string, params?: SqlValue[]): Statement;
    export(): Uint8Array;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: Uint8Array | null) => Database;
  }
  export interface SqlJsConfig {
    locateFile?: (file: string, prefix: string) => string;
    wasmBinary?: ArrayBuffer | Uint8Array;
  }
  export default function initSqlJs(config?: SqlJsConfig): Promise<SqlJsStatic>;
}

declare module 'papaparse' {
  export interface ParseError {
    type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
    code: string;
    message: string;
    row?: number;
  }
  export interface ParseResult<T> {
    data: T[];
    errors: ParseError[];
  }
  export interface ParseConfig {
    skipEmptyLines?: boolean | 'greedy';
    delimitersToGuess?: string[];
    delimiter?: string;
  }
  export interface UnparseConfig {
    newline?: string;
    quotes?: boolean | boolean[];
  }
  const Papa: {
    parse<T>(input: string, config?: ParseConfig): ParseResult<T>;
    unparse(data: unknown[][], config?: UnparseConfig): string;
  };
  export default Papa;
}
