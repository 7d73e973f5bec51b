import type { FastifyReply, FastifyRequest } from 'fastify';
import { entityTagHook } from './entity-tags';

function run(
  payload: unknown,
  options: { status?: number; ifNoneMatch?: string; marked?: boolean } = {},
) {
  const headers: Record<string, string> = {};
  const reply = {
    statusCode: options.status ?? 200,
    header(name: string, value: string) {
      headers[name] = value;
      return this;
    },
    code(status: number) {
      this.statusCode = status;
      return this;
    },
  };
  const request = {
    routeOptions: { config: { entityTag: options.marked ?? true } },
    headers: options.ifNoneMatch ? { 'if-none-match': options.ifNoneMatch } : {},
  };
  let sent: unknown;
  entityTagHook(
    request as unknown as FastifyRequest,
    reply as unknown as FastifyReply,
    payload,
    (_, out) => (sent = out),
  );
  return { headers, status: reply.statusCode, sent };
}

describe('entityTagHook', () => {
  it('tags a 200 of a marked route with a weak ETag that changes with the body', () => {
    const first = run('{"a":1}');
    expect(first.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(run('{"a":2}').headers.etag).not.toBe(first.headers.etag);
    expect(first.sent).toBe('{"a":1}');
  });

  it.each([
    ['the same tag', (tag: string) => tag],
    ['the tag without W/', (tag: string) => tag.slice(2)],
    ['a list holding it', (tag: string) => `"nope", ${tag}`],
    ['*', () => '*'],
  ])('answers 304 with no body to If-None-Match with %s', (_, header) => {
    const { headers } = run('{"a":1}');
    const again = run('{"a":1}', { ifNoneMatch: header(headers.etag) });
    expect(again.status).toBe(304);
    expect(again.sent).toBe('');
  });

  it('leaves errors and unmarked routes alone', () => {
    expect(run('{"type":"x"}', { status: 404, ifNoneMatch: '*' })).toMatchObject({
      status: 404,
      headers: {},
    });
    expect(run('{}', { marked: false })).toMatchObject({ headers: {} });
    expect(run('{"a":1}', { ifNoneMatch: 'W/"other"' }).status).toBe(200);
  });
});
