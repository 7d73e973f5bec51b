import { Metrics } from '@app/infra';
import { loadConfig } from '@app/config';
import { HttpService } from '@nestjs/axios';
import { of } from 'rxjs';
import { CallBudget } from './call-budget';
import { parseRetryAfter, UpstreamHttp } from './upstream-http';
import { WeatherUpstreamError } from './weather.errors';

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    ['120', 120_000],
    [' 7 ', 7_000],
    ['Tue, 01 Dec 2026 12:01:30 GMT', 90_000],
    ['Tue, 01 Dec 2026 11:00:00 GMT', 0],
    ['999999', 3_600_000],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe(UpstreamHttp.name, () => {
  const budget = { tryTake: () => Promise.resolve(true), perMinute: 60 } as unknown as CallBudget;
  const answering = (status: number, headers: Record<string, string>) =>
    ({
      get: () => of({ status, headers, data: { cod: status, message: 'slow down' } }),
    }) as unknown as HttpService;

  it("turns a 429 into a rate limit carrying the provider's Retry-After", async () => {
    const sut = new UpstreamHttp(
      answering(429, { 'retry-after': '120' }),
      budget,
      loadConfig({}),
      new Metrics(),
    );
    const error = await sut
      .get(
        'openweathermap',
        '/data/2.5/weather',
        'http://x/data/2.5/weather',
        {},
        { waitForBudget: false },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WeatherUpstreamError);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000 });
    expect((error as Error).message).toBe(
      'openweathermap is rate limiting us (HTTP 429); it asked for 120 s',
    );
  });

  it('passes other statuses on for the provider to read', async () => {
    const sut = new UpstreamHttp(answering(404, {}), budget, loadConfig({}), new Metrics());
    await expect(
      sut.get('open-meteo', '/v1/search', 'http://x/v1/search', {}, { waitForBudget: false }),
    ).resolves.toMatchObject({ status: 404 });
  });
});

describe(`${UpstreamHttp.name} metrics`, () => {
  it('labels a request by its endpoint template, never by a postcode in its URL', async () => {
    const metrics = new Metrics();
    const http = {
      get: () => of({ status: 200, headers: {}, data: {} }),
    } as unknown as HttpService;
    const budget = { tryTake: () => Promise.resolve(true) } as unknown as CallBudget;
    const sut = new UpstreamHttp(http, budget, loadConfig({}), metrics);
    await sut.get(
      'zippopotam',
      '/{country}/{postcode}',
      'http://x/fr/75001',
      {},
      {
        waitForBudget: false,
      },
    );
    const text = await metrics.render();
    expect(text).toContain(
      'weather_upstream_requests_total{provider="zippopotam",endpoint="/{country}/{postcode}",outcome="ok"} 1',
    );
    expect(text).not.toContain('75001');
  });
});
