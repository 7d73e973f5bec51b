// Jest's global setup runs outside its module system, so moduleNameMapper does not apply there:
// resolve the @app/<lib> aliases from tsconfig.json instead.
import { register } from 'tsconfig-paths';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
register({ baseUrl: root, paths: { '@app/*': ['libs/*/src'] } });
