import { Injectable } from '@nestjs/common';

/** The only writer to stdout and stderr in the CLI, so tests can capture what operators see. */
@Injectable()
export class CliOutput {
  info(line: string): void {
    process.stdout.write(`${line}\n`);
  }

  error(line: string): void {
    process.stderr.write(`${line}\n`);
  }
}
