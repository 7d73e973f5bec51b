import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { errorBody, meteoSearch, meteoForecast, zippopotam } from './weather-fake-replies';
import { owmDirect, owmWeather, owmZip } from './weather-fake-owm';

export { kelvinAt, PLACES, windAt } from './weather-fake-replies';

/**
 * A loopback fake of OpenWeatherMap, Open-Meteo (forecast and geocoding) and Zippopotam, built
 * from shared/reference/weather-providers.md: same paths, parameters, bodies, key order, number
 * types and error shapes. Knobs: latency, hanging, forced statuses, broken bodies; every request
 * is logged so tests can count calls and check what was sent.
 */

export interface LoggedRequest {
  /** When it arrived (ms since the epoch). */
  at: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export type FakeProvider = 'openweathermap' | 'open-meteo';

export const FAKE_OWM_KEY = 'fake-owm-key-0123456789';

export class WeatherFake {
  readonly requests: LoggedRequest[] = [];
  /** Added to every answer, in ms. */
  latencyMs = 0;
  /** Never answer (the client must give up on its own). */
  hang = false;
  /** Most requests in flight at once since the last reset. */
  peakInFlight = 0;
  private inFlight = 0;
  private forced: { status: number; remaining: number; body?: string }[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WeatherFake> {
    const server = createServer();
    const fake = new WeatherFake(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The variables that point the service at this fake. */
  env(provider: FakeProvider): Record<string, string> {
    return {
      WEATHER_PROVIDER: provider,
      ...(provider === 'openweathermap' ? { WEATHER_API_KEY: FAKE_OWM_KEY } : {}),
      OPENWEATHERMAP_BASE_URL: this.url,
      OPEN_METEO_BASE_URL: this.url,
      OPEN_METEO_GEOCODING_BASE_URL: this.url,
      ZIPPOPOTAM_BASE_URL: `${this.url}/zippopotam`,
    };
  }

  /** The next `times` requests get `status` (with the provider's error body unless given). */
  failNext(status: number, times = 1, body?: string): void {
    this.forced.push({ status, remaining: times, body });
  }

  /** Every request from now on gets `status` until `recover()`. */
  failAll(status: number, body?: string): void {
    this.forced = [{ status, remaining: Number.POSITIVE_INFINITY, body }];
  }

  recover(): void {
    this.forced = [];
    this.hang = false;
    this.latencyMs = 0;
  }

  reset(): void {
    this.recover();
    this.requests.length = 0;
    this.peakInFlight = 0;
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.requests.filter((request) => request.path.startsWith(prefix)).length;
  }

  get weatherCalls(): number {
    return this.count('/data/2.5/weather') + this.count('/v1/forecast');
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ at: Date.now(), path: url.pathname, query, headers: req.headers });
    if (this.hang) return; // the socket stays open until the client aborts
    this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
    res.on('close', () => this.inFlight--);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (res.destroyed) return;

    const forced = this.forced[0];
    if (forced) {
      if (--forced.remaining <= 0) this.forced.shift();
      return this.send(res, forced.status, forced.body ?? errorBody(url.pathname, forced.status));
    }
    const [status, body] = this.route(url.pathname, query);
    this.send(res, status, body);
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(text);
  }

  private route(path: string, q: Record<string, string>): [number, unknown] {
    if (path === '/geo/1.0/zip' || path === '/geo/1.0/direct' || path === '/data/2.5/weather') {
      // OpenWeatherMap checks the key before anything else.
      const key = q.appid ?? q.APPID;
      if (key !== FAKE_OWM_KEY) return [401, errorBody(path, 401)];
    }
    switch (path) {
      case '/geo/1.0/zip':
        return owmZip(q.zip ?? '');
      case '/geo/1.0/direct':
        return owmDirect(q.q ?? '');
      case '/data/2.5/weather':
        return owmWeather(q);
      case '/v1/search':
        return meteoSearch(q);
      case '/v1/forecast':
        return meteoForecast(q);
      default:
        if (path.startsWith('/zippopotam/')) return zippopotam(path);
        return [404, { error: true, reason: 'Not found' }];
    }
  }
}
