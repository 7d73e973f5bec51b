import { DataSource } from 'typeorm';

/** host:port/database of the data source, never the password. */
export function describeDatabaseTarget(dataSource: DataSource): string {
  const options = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    database?: string;
  };
  if (options.url) {
    const url = new URL(options.url);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  }
  return `${options.host}:${options.port}/${options.database}`;
}
