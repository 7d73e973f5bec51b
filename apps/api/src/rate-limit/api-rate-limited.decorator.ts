import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ApiProblem } from '../common/api-problem.decorator';
import { ProblemType } from '../common/problem-types';
import { PROBLEMS } from '../common/problem-types';

const integer = (example: number) => ({ type: 'integer', example });

/** Response headers of every answer of a rate-limited endpoint. */
export const LIMITED_RESPONSE_HEADERS = {
  'RateLimit-Limit': {
    description: 'Requests this client may make per minute (RATE_LIMIT_PER_MINUTE).',
    schema: integer(600),
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window.',
    schema: integer(599),
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets.',
    schema: integer(42),
  },
  'X-Request-Id': {
    description: "The request's id (the caller's X-Request-Id when acceptable, else a new UUID).",
    schema: { type: 'string', example: '6f1c3a52-0d7e-4a8e-9d5b-2f4b8c1e7a90' },
  },
};

/**
 * Documents what a public, rate-limited, cacheable endpoint adds: the X-Request-Id it accepts,
 * 304 on a matching If-None-Match, and its 429s (the rate limit, and the zip gate's on lookups).
 */
export function ApiPublicEdge(tooMany: ProblemType[] = [PROBLEMS.rateLimited]): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'X-Request-Id',
      required: false,
      description:
        'Your id for this request (at most 64 printable characters), echoed in the response and in the logs.',
    }),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier answer: 304 when nothing changed.',
    }),
    ApiResponse({
      status: 304,
      description: 'Not Modified: the ETag in If-None-Match is still current (no body).',
      headers: { ETag: { description: 'The current entity tag.', schema: { type: 'string' } } },
    }),
    ApiProblem(
      'Too many requests this minute (Retry-After says when to ask again; RateLimit-* where you stand)' +
        (tooMany.length > 1
          ? ", or too many wrong zips for this shipment (the zip gate's lock-out)."
          : '.'),
      tooMany,
    ),
  );
}
