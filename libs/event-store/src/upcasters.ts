import { Injectable } from '@nestjs/common';

export interface UpcastInput {
  data: unknown;
  metadata: Record<string, unknown>;
}

/** Turns the `data` of (type, fromVersion) into the shape of fromVersion + 1. */
export type Upcaster = (event: UpcastInput) => unknown;

/**
 * Old shapes are upgraded on read, one version at a time; stored events are
 * never rewritten. Register each step once, at module start-up.
 */
@Injectable()
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcaster>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const key = `${type}@${fromVersion}`;
    if (this.steps.has(key)) throw new Error(`an upcaster for ${key} is already registered`);
    this.steps.set(key, upcast);
    return this;
  }

  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
    metadata: Record<string, unknown>,
  ): { schemaVersion: number; data: unknown } {
    let version = schemaVersion;
    let current = data;
    for (let step = this.steps.get(`${type}@${version}`); step; step = this.steps.get(`${type}@${version}`)) {
      current = step({ data: current, metadata });
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
