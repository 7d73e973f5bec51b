import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ProblemDetailsDto } from './problem-details.dto';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { ProblemType } from './problem-types';

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before asking again.',
    schema: { type: 'integer', example: 5 },
  },
};

/**
 * Documents an error response as `application/problem+json`, with one true example per problem
 * type the endpoint can answer with this status (its real `type`, `title`, `detail`).
 */
export function ApiProblem(
  description: string,
  problems: ProblemType[],
  schema: Type = ProblemDetailsDto,
): MethodDecorator & ClassDecorator {
  const [{ status }] = problems;
  if (problems.some((problem) => problem.status !== status))
    throw new Error(`ApiProblem(${description}): the problem types have different statuses`);
  const examples = Object.fromEntries(
    problems.map(({ type, summary, example }) => [
      type.replace('urn:problem:', ''),
      { summary, value: { type, title: STATUS_CODES[status], status, ...example } },
    ]),
  );
  return applyDecorators(
    ApiExtraModels(schema),
    ApiResponse({
      status,
      description,
      ...(status === 503 || status === 429 ? { headers: RETRY_AFTER } : {}),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(schema) }, examples } },
    }),
  );
}
