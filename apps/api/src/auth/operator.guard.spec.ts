import { loadConfig } from '@app/config';
import { ExecutionContext } from '@nestjs/common';
import { ProblemException } from '../common/problem';
import { ApiKeysService } from './api-keys.service';
import { OperatorGuard, operatorAccess } from './operator.guard';

const context = (headers: Record<string, string | string[]>): ExecutionContext =>
  ({ switchToHttp: () => ({ getRequest: () => ({ headers }) }) }) as unknown as ExecutionContext;
const keys = (API_KEYS?: string) => new ApiKeysService(loadConfig(API_KEYS ? { API_KEYS } : {}));

describe(OperatorGuard.name, () => {
  const sut = new OperatorGuard(keys('key-one-123456,key-two-123456'));

  it('lets a valid key in, any of the configured ones', () => {
    expect(sut.canActivate(context({ 'x-api-key': 'key-two-123456' }))).toBe(true);
  });

  it.each([
    ['no key', {}, /needs a valid X-API-Key/],
    ['a wrong key', { 'x-api-key': 'key-three-12345' }, /not a valid API key/],
    ['an empty key', { 'x-api-key': '' }, /not a valid API key/],
  ])('refuses %s with 401 urn:problem:unauthorized', (_, headers, detail) => {
    let thrown: unknown;
    try {
      sut.canActivate(context(headers));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(401);
    expect((thrown as ProblemException).problem.type).toBe('urn:problem:unauthorized');
    expect((thrown as Error).message).toMatch(detail);
  });

  it('says operator access is disabled when API_KEYS is unset', () => {
    expect(() => new OperatorGuard(keys()).canActivate(context({ 'x-api-key': 'x' }))).toThrow(
      /disabled: the server has no API_KEYS/,
    );
  });
});

describe(operatorAccess.name, () => {
  it('is no operator without a header, an operator with a valid one, a 401 with a wrong one', () => {
    const apiKeys = keys('key-one-123456');
    expect(operatorAccess(apiKeys, undefined)).toBe(false);
    expect(operatorAccess(apiKeys, 'key-one-123456')).toBe(true);
    expect(operatorAccess(apiKeys, ['key-one-123456', 'other'])).toBe(true);
    expect(() => operatorAccess(apiKeys, 'nope')).toThrow(ProblemException);
  });
});
