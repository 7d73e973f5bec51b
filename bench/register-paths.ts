// The floor runs compiled (dist/bench), where tsc leaves `@app/<lib>` as written: resolve the
// aliases to the libs compiled beside it, as jest's moduleNameMapper does for the tests.
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

register({ baseUrl: join(__dirname, '..'), paths: { '@app/*': ['libs/*/src'] } });
