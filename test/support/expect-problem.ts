import request from 'supertest';

/** Asserts a problem-details answer: status, content type, `type`, and the detail's words. */
export async function expectProblem(
  answer: Promise<request.Response> | request.Test,
  status: number,
  type: string,
  detail: RegExp,
): Promise<request.Response> {
  const res = await answer;
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type, title: expect.any(String), status });
  expect(res.body.detail).toMatch(detail);
  return res;
}
