/** PostgreSQL could not be reached; the message names the target, never the password. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(target: string, cause: unknown) {
    const code = (cause as { code?: string } | null)?.code;
    const reason = (cause instanceof Error && cause.message) || code || 'connection failed';
    super(`Cannot connect to PostgreSQL at ${target}: ${reason}`, { cause });
  }
}
