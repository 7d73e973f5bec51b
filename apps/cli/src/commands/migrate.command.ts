import { DatabaseLifecycle } from '@app/infra';
import { Command, CommandRunner } from 'nest-commander';
import { CliOutput } from '../cli-output.service';

@Command({ name: 'migrate', description: 'Apply pending database migrations' })
export class MigrateCommand extends CommandRunner {
  constructor(
    private readonly database: DatabaseLifecycle,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const applied = await this.database.ready();
    this.output.info(
      applied.length > 0
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'Database schema is up to date',
    );
  }
}
