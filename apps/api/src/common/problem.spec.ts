import { DatabaseUnavailableError } from '@app/infra';
import { ShipmentNotFoundError, ZipMismatchError } from '@app/shipments';
import { NotFoundException } from '@nestjs/common';
import { ProblemException, RequestValidationError, toProblem } from './problem';
import { PROBLEMS } from './problem-types';

describe(toProblem.name, () => {
  it.each([
    [new ShipmentNotFoundError('DHL', 'TN0'), 404, 'urn:problem:shipment-not-found'],
    [new ZipMismatchError(), 403, 'urn:problem:zip-mismatch'],
    [
      new DatabaseUnavailableError('db:5432/x', new Error('ECONNREFUSED')),
      503,
      'urn:problem:database-unavailable',
    ],
    [
      new RequestValidationError([{ field: 'zip', message: 'zip must be at most 16 characters' }]),
      400,
      'urn:problem:validation',
    ],
    [new ProblemException(PROBLEMS.unauthorized, 'no key'), 401, 'urn:problem:unauthorized'],
    [Object.assign(new Error('too long'), { statusCode: 414 }), 414, 'urn:problem:uri-too-long'],
    [new NotFoundException('Cannot GET /nope'), 404, 'about:blank'],
    [new Error('boom at 10.0.0.5'), 500, 'urn:problem:internal-error'],
  ])('maps %s to %i %s', (error, status, type) => {
    const problem = toProblem(error, '/x');
    expect(problem).toMatchObject({ status, type, instance: '/x' });
    expect(problem.title).toBeTruthy();
  });

  it('tells the client nothing of a server or an internal error', () => {
    const db = toProblem(new DatabaseUnavailableError('db.internal:5432/x', new Error('refused')));
    expect(db.detail).not.toMatch(/db\.internal|5432/);
    expect(toProblem(new Error('secret at 10.0.0.5')).detail).toBe(
      'An unexpected error occurred; it has been logged.',
    );
  });

  it('keeps the readiness checks as an extension member', () => {
    const checks = { database: { status: 'down' } };
    expect(
      toProblem(new ProblemException(PROBLEMS.notReady, 'Not ready', { checks })),
    ).toMatchObject({
      type: 'urn:problem:not-ready',
      status: 503,
      checks,
    });
  });
});
