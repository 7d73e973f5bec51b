import { Injectable } from '@nestjs/common';

/**
 * Whether this instance has been told to stop. From then on readiness fails, so a load balancer
 * stops sending it requests, while the requests it still gets are served as usual
 * (SHUTDOWN_DELAY_MS, see main.ts).
 */
@Injectable()
export class ShutdownState {
  private stopping = false;

  begin(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }
}
