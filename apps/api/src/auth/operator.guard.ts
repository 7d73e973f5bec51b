import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem';
import { PROBLEMS } from '../common/problem-types';
import { ApiKeysService } from './api-keys.service';

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_SECURITY = 'api-key';

/** Lets a request through only with a valid operator key in X-API-Key. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.apiKeys.enabled) throw disabled();
    const operator = operatorAccess(this.apiKeys, request.headers[API_KEY_HEADER]);
    if (!operator) throw unauthorized('This endpoint needs a valid X-API-Key header');
    return true;
  }
}

/**
 * Whether a request carries a valid operator key. No header means "not an operator"; a header
 * with a wrong key is an error the caller should hear about (401), not a silent downgrade.
 */
export function operatorAccess(
  apiKeys: ApiKeysService,
  header: string | string[] | undefined,
): boolean {
  if (header === undefined) return false;
  if (!apiKeys.enabled) {
    throw disabled();
  }
  if (!apiKeys.accepts(header)) throw unauthorized('The X-API-Key header is not a valid API key');
  return true;
}

function disabled(): ProblemException {
  return unauthorized('Operator access is disabled: the server has no API_KEYS configured');
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException(PROBLEMS.unauthorized, detail);
}
