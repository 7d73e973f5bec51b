import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { SecretSet } from './secret-set';

/** Checks operator API keys (X-API-Key) in constant time. */
@Injectable()
export class ApiKeysService {
  private readonly keys: SecretSet;

  constructor(config: AppConfig) {
    this.keys = new SecretSet(config.apiKeys);
  }

  get enabled(): boolean {
    return !this.keys.empty;
  }

  /** Whether an X-API-Key header (its first value) holds a valid key; false without one. */
  accepts(header: string | string[] | undefined): boolean {
    const key = Array.isArray(header) ? header[0] : header;
    return key !== undefined && this.keys.has(key);
  }
}
