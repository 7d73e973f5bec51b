/**
 * Every problem type the API answers with: its URI, status, and a true example, which the
 * OpenAPI document shows per status (ApiProblem) and the code uses when it answers (toProblem).
 */
export interface ProblemType {
  type: `urn:problem:${string}`;
  status: number;
  /** One line for the example's summary in the OpenAPI document. */
  summary: string;
  example: { detail: string; instance: string } & Record<string, unknown>;
}

const LOOKUP = '/api/v1/shipments/DHL/TN12345678';

export const PROBLEMS = {
  validation: {
    type: 'urn:problem:validation',
    status: 400,
    summary: 'A parameter is invalid; `errors` names each one',
    example: {
      detail: 'trackingNumber must be at most 64 characters',
      instance: `/api/v1/shipments/DHL/${'X'.repeat(65)}`,
      errors: [
        { field: 'trackingNumber', message: 'trackingNumber must be at most 64 characters' },
      ],
    },
  },
  unauthorized: {
    type: 'urn:problem:unauthorized',
    status: 401,
    summary: 'No valid X-API-Key, or operator access disabled',
    example: {
      detail: 'The X-API-Key header is not a valid API key',
      instance: '/api/v1/shipments',
    },
  },
  zipMismatch: {
    type: 'urn:problem:zip-mismatch',
    status: 403,
    summary: "The zip is not the receiver's postcode",
    example: {
      detail:
        "The zip does not match the receiver's postcode; leave out zip to see the shipment without street lines",
      instance: LOOKUP,
    },
  },
  shipmentNotFound: {
    type: 'urn:problem:shipment-not-found',
    status: 404,
    summary: 'No shipment with this carrier and tracking number',
    example: {
      detail: 'No shipment with carrier "DHL" and tracking number "TN00000000"',
      instance: '/api/v1/shipments/DHL/TN00000000',
    },
  },
  postcodeNotFound: {
    type: 'urn:problem:postcode-not-found',
    status: 404,
    summary: 'The weather provider does not know this postcode',
    example: {
      detail: 'open-meteo does not know this postcode in FR',
      instance: '/api/v1/weather',
    },
  },
  methodNotAllowed: {
    type: 'urn:problem:method-not-allowed',
    status: 405,
    summary: 'The path exists but not with this method; `Allow` lists the ones it has',
    example: {
      detail: 'DELETE is not allowed here; this path answers GET, HEAD',
      instance: LOOKUP,
    },
  },
  payloadTooLarge: {
    type: 'urn:problem:payload-too-large',
    status: 413,
    summary: 'The request announces a body over 16 KB (no endpoint takes one)',
    example: {
      detail: 'The request body is over 16384 bytes; no endpoint takes a body that large',
      instance: LOOKUP,
    },
  },
  uriTooLong: {
    type: 'urn:problem:uri-too-long',
    status: 414,
    summary: 'The URL is over 2,048 characters, or a path parameter over 1,000',
    example: {
      detail: 'The request URL is too long: a path parameter is over 1000 characters',
      instance: `/api/v1/shipments/DHL/${'X'.repeat(20)}...`,
    },
  },
  rateLimited: {
    type: 'urn:problem:rate-limited',
    status: 429,
    summary:
      'Too many requests from this client this minute (RateLimit-* and Retry-After say more)',
    example: {
      detail: 'Too many requests: at most 600 a minute per client; try again in 42 s',
      instance: LOOKUP,
    },
  },
  zipAttempts: {
    type: 'urn:problem:zip-attempts',
    status: 429,
    summary: 'Too many wrong zips for this shipment: the zip gate is locked until Retry-After',
    example: {
      detail:
        'Too many wrong zips for this shipment from your address; try again in 900 s, or leave out zip to see the shipment without street lines',
      instance: LOOKUP,
    },
  },
  headersTooLarge: {
    type: 'urn:problem:headers-too-large',
    status: 431,
    summary: 'The request line and headers are over 16 KB',
    example: {
      detail: 'The request line and headers are too large (at most 16 KB in all)',
      instance: LOOKUP,
    },
  },
  internal: {
    type: 'urn:problem:internal-error',
    status: 500,
    summary: 'Unexpected server error (logged; the detail is generic)',
    example: { detail: 'An unexpected error occurred; it has been logged.', instance: LOOKUP },
  },
  databaseUnavailable: {
    type: 'urn:problem:database-unavailable',
    status: 503,
    summary: 'PostgreSQL is not answering (Retry-After says when to ask again)',
    example: {
      detail: 'The shipment database is not available right now; try again in 5 seconds',
      instance: LOOKUP,
    },
  },
  weatherUnavailable: {
    type: 'urn:problem:weather-unavailable',
    status: 503,
    summary: 'No reading: the provider is failing, timed out, or the call budget is used up',
    example: {
      detail: 'open-meteo did not answer within 3000 ms',
      instance: '/api/v1/weather',
    },
  },
  shuttingDown: {
    type: 'urn:problem:shutting-down',
    status: 503,
    summary: 'This instance is shutting down; another one will answer',
    example: {
      detail:
        'This instance is shutting down; send the request again (another instance will answer)',
      instance: LOOKUP,
    },
  },
  notReady: {
    type: 'urn:problem:not-ready',
    status: 503,
    summary: 'PostgreSQL does not answer; `checks` says what is down',
    example: {
      detail: 'Not ready: database not answering',
      instance: '/health/ready',
      checks: {
        database: { status: 'down', message: 'not answering' },
        redis: { status: 'up' },
      },
    },
  },
} as const satisfies Record<string, ProblemType>;
