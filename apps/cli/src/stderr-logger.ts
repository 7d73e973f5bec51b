import { ConsoleLogger, LogLevel } from '@nestjs/common';

/** Nest's own log lines go to stderr in the CLI, so stdout carries only the command's output. */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}
