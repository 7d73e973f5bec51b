import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/paths';

type Result = { problems: string[]; checked: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validators = require(join(ROOT, 'scripts/validate-deploy.js')) as {
  validateKubernetes(dir?: string): Result;
  validateCompose(file?: string): Result;
  validateNginx(dir?: string): Result;
};

const hasNginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].some((path) => existsSync(path));

/** deploy/ through the real validators (what `.ci/run` runs), and proof that they can fail. */
describe('deploy/ (Kubernetes schemas, Compose Specification, nginx -t)', () => {
  let copy: string;
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'deploy-'));
    await cp(join(ROOT, 'deploy'), copy, { recursive: true });
  });
  afterAll(() => rm(copy, { recursive: true, force: true }));

  const breakFile = async (file: string, from: string, to: string) => {
    const text = await readFile(file, 'utf8');
    expect(text).toContain(from);
    await writeFile(file, text.replace(from, to));
  };

  it('validates every resource of the kustomize base against its Kubernetes schema', async () => {
    const result = validators.validateKubernetes();
    expect(result.problems).toEqual([]);
    expect(result.checked.map((name) => name.split(' (')[1])).toEqual(
      expect.arrayContaining([
        'Deployment shipment-tracking-api)',
        'Service shipment-tracking-api)',
        'HorizontalPodAutoscaler shipment-tracking-api)',
        'PodDisruptionBudget shipment-tracking-api)',
        'ConfigMap shipment-tracking-config)',
        'Secret shipment-tracking-secrets)',
        'Job shipment-tracking-migrate)',
        'Job shipment-tracking-import)',
      ]),
    );
    await breakFile(join(copy, 'k8s/deployment.yaml'), 'replicas: 3', 'replicas: three');
    expect(validators.validateKubernetes(join(copy, 'k8s')).problems).toEqual([
      expect.stringMatching(/deployment\.yaml .*spec\/replicas must be integer/),
    ]);
  });

  it('validates docker-compose.yml against the Compose Specification', async () => {
    expect(validators.validateCompose().problems).toEqual([]);
    const broken = join(copy, 'docker-compose.yml');
    await writeFile(
      broken,
      (await readFile(join(ROOT, 'docker-compose.yml'), 'utf8')).replace('expose:', 'exposes:'),
    );
    expect(validators.validateCompose(broken).problems).toEqual([
      'docker-compose.yml: /services/api must NOT have additional properties',
    ]);
  });

  (hasNginx || process.env.REQUIRE_SERVICES === '1' ? it : it.skip)(
    `checks deploy/nginx with nginx -t${hasNginx ? '' : ' (skipped: needs nginx; apt-get install nginx)'}`,
    async () => {
      expect(validators.validateNginx().problems).toEqual([]);
      await breakFile(
        join(copy, 'nginx/nginx.conf'),
        'proxy_next_upstream_tries 3;',
        'proxy_next_upstream_tries three;',
      );
      expect(validators.validateNginx(join(copy, 'nginx')).problems).toEqual([
        expect.stringMatching(/"proxy_next_upstream_tries" directive invalid number/),
      ]);
    },
  );
});
