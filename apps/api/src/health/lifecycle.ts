import { Injectable } from '@nestjs/common';
import { Clock } from '@praxis/common';

/** Whether this process is stopping: readiness answers 503 from the moment a stop signal arrives. */
@Injectable()
export class Lifecycle {
  private stoppingSince?: Date;

  constructor(private readonly clock: Clock) {}

  get stopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  beginStopping(): void {
    this.stoppingSince ??= this.clock.now();
  }
}
