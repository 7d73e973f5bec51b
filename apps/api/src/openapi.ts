import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER, API_KEY_SECURITY } from './auth/operator.guard';

/**
 * The OpenAPI 3.1 document of the API, as served at /api/docs-json. 3.1, because its schemas are
 * JSON Schema: a `weather: null` is valid under `oneOf [$ref, null]`, which 3.0's `nullable`
 * beside a `$ref` could not say. The contract test validates every response against it.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Shipment tracking API')
    .setDescription(
      'Look up a shipment by carrier and tracking number, with the weather at the receiver. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`) with a ' +
        '`urn:problem:*` type; each response lists the types it can carry.',
    )
    .setVersion('1')
    // package.json says UNLICENSED: not open source.
    .setLicense('Proprietary (UNLICENSED)', '')
    .addServer('/', 'This server')
    .addTag('shipments', 'Shipments by carrier and tracking number (public view, full view).')
    .addTag('weather', 'The current weather at a postcode.')
    .addTag('health', 'Liveness and readiness for load balancers and orchestrators.')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: API_KEY_HEADER,
        description: 'An operator key from API_KEYS: lists shipments, shows full views.',
      },
      API_KEY_SECURITY,
    )
    // Public unless an operation says otherwise.
    .addSecurityRequirements({})
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
  return closePublicViews(toJsonSchemaNulls(document) as OpenAPIObject);
}

/**
 * The public view's schemas admit no other field: a postcode or a street line in a public answer
 * breaks the document (and the contract test), and a full answer never matches the public view,
 * so the lookup's `oneOf` of the two views is exclusive.
 */
function closePublicViews(document: OpenAPIObject): OpenAPIObject {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (name.startsWith('Public')) Object.assign(schema, { additionalProperties: false });
  }
  return document;
}

/**
 * @nestjs/swagger writes 3.0's `nullable: true`; in 3.1 a null is part of the type. Rewrites
 * each such schema: `type: T` becomes `type: [T, 'null']`; a `$ref` (or `allOf: [$ref]`)
 * becomes `oneOf: [$ref, {type: 'null'}]`.
 */
export function toJsonSchemaNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchemaNulls);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, toJsonSchemaNulls(value)]);
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (schema.nullable !== true) return schema;
  const { type, allOf, $ref, ...rest } = schema;
  delete rest.nullable;
  const ref: unknown = $ref
    ? { $ref }
    : Array.isArray(allOf) && allOf.length === 1
      ? allOf[0]
      : null;
  if (ref) return { ...rest, oneOf: [ref, { type: 'null' }] };
  if (Array.isArray(rest.enum)) rest.enum = [...(rest.enum as unknown[]), null];
  const types: unknown[] = Array.isArray(type) ? type : [type];
  return { ...rest, type: [...types, 'null'] };
}
