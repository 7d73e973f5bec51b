import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

/** One response the API gave a test: what the contract is checked against. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

interface Recorder {
  document: OpenAPIObject;
  exchanges: Exchange[];
}

/** The apps of the current test file, with what each answered. */
const recorders: Recorder[] = [];

/**
 * Records every response of an API app built by a test (createApiApp), to be validated against
 * the app's own OpenAPI document when the test file ends (see contract-after-all.ts).
 */
export function recordResponses(fastify: FastifyInstance, document: OpenAPIObject): void {
  const recorder: Recorder = { document, exchanges: [] };
  recorders.push(recorder);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    recorder.exchanges.push({
      method: request.method.toLowerCase(),
      path: request.url.split('?')[0],
      status: reply.statusCode,
      contentType: reply.getHeader('content-type') as string | undefined,
      body: typeof payload === 'string' ? payload : '',
    });
    done(null, payload);
  });
}

/** Takes the responses recorded so far, with their documents. */
export function takeRecorded(): Recorder[] {
  return recorders.splice(0);
}

/**
 * Checks one app's responses against its document, under OpenAPI 3.1 semantics (its schemas are
 * JSON Schema 2020-12): the path and method are documented, the status is listed, the content
 * type is listed for it, and the body is valid. Responses to paths the document doesn't have
 * (an unknown route, Swagger UI itself) are not its business. Returns one line per violation.
 */
export function contractViolations(
  document: OpenAPIObject,
  exchanges: Exchange[],
): { violations: string[]; covered: string[] } {
  const operations = compileOperations(document);
  const violations: string[] = [];
  const covered = new Set<string>();
  for (const exchange of exchanges) {
    const operation = operations.find(
      (candidate) => candidate.method === exchange.method && candidate.pattern.test(exchange.path),
    );
    if (!operation) continue;
    const where = `${exchange.method.toUpperCase()} ${exchange.path.slice(0, 80)} -> ${exchange.status}`;
    const response = operation.responses.get(String(exchange.status));
    if (!response) {
      violations.push(`${where}: status ${exchange.status} is not documented for ${operation.id}`);
      continue;
    }
    covered.add(`${operation.id} ${exchange.status}`);
    if (exchange.body === '') continue;
    const type = exchange.contentType?.split(';')[0].trim() ?? '';
    const validate = response.get(type);
    if (!validate) {
      violations.push(`${where}: content type "${type}" is not documented for this status`);
      continue;
    }
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      violations.push(`${where}: the body is not JSON`);
      continue;
    }
    if (!validate(body)) {
      violations.push(
        `${where}: ${validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`,
      );
    }
  }
  return { violations, covered: [...covered] };
}

interface CompiledOperation {
  id: string;
  method: string;
  pattern: RegExp;
  /** status -> content type -> body validator */
  responses: Map<string, Map<string, ValidateFunction>>;
}

const compiled = new WeakMap<OpenAPIObject, CompiledOperation[]>();

function compileOperations(document: OpenAPIObject): CompiledOperation[] {
  const cached = compiled.get(document);
  if (cached) return cached;
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // Keywords an OpenAPI 3.1 Schema Object may carry besides JSON Schema's.
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  ajv.addSchema({
    $id: 'https://contract.test/openapi.json',
    $defs: refsToDefs(document.components?.schemas ?? {}),
  });
  const operations: CompiledOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, operation] of Object.entries(item as Record<string, unknown>)) {
      const { operationId, responses } = operation as {
        operationId: string;
        responses: Record<string, { content?: Record<string, { schema?: object }> }>;
      };
      const byStatus = new Map<string, Map<string, ValidateFunction>>();
      for (const [status, response] of Object.entries(responses)) {
        const byType = new Map<string, ValidateFunction>();
        for (const [type, media] of Object.entries(response.content ?? {})) {
          byType.set(type, ajv.compile(refsToDefs<object>(media.schema ?? {})));
        }
        byStatus.set(status, byType);
      }
      operations.push({ id: operationId, method, pattern, responses: byStatus });
    }
  }
  compiled.set(document, operations);
  return operations;
}

/** `#/components/schemas/X` -> `https://contract.test/openapi.json#/$defs/X`, so schemas resolve from anywhere. */
function refsToDefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(refsToDefs) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string'
        ? value.replace('#/components/schemas/', 'https://contract.test/openapi.json#/$defs/')
        : refsToDefs(value),
    ]),
  ) as T;
}
