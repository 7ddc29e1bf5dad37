import { Injectable } from '@nestjs/common';

/** Whether this process is stopping: readiness answers 503 from the moment a stop signal arrives. */
@Injectable()
export class Lifecycle {
  private stoppingSince?: Date;

  get stopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  beginStopping(now: Date = new Date()): void {
    this.stoppingSince ??= now;
  }
}
