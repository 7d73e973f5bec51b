import { DatabaseMigrator } from '@app/shipments';
import { Command, CommandRunner } from 'nest-commander';
import { CliOutput } from '../cli-output.service';

@Command({ name: 'migrate', description: 'Apply pending database migrations' })
export class MigrateCommand extends CommandRunner {
  constructor(
    private readonly migrator: DatabaseMigrator,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const applied = await this.migrator.migrate();
    this.output.info(
      applied.length > 0
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'Database schema is up to date',
    );
  }
}
