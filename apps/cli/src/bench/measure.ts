/** Small helpers for the benchmark: latency percentiles, medians, a bounded worker pool, RSS growth. */
export interface Figures {
  ops: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** Runs `ops` operations with `concurrency` in flight, timing each one. */
export async function run(
  ops: number,
  concurrency: number,
  eventsPerOp: number,
  op: (i: number) => Promise<unknown>,
): Promise<Figures> {
  const latencies: number[] = new Array(ops);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (let i = next++; i < ops; i = next++) {
      const t0 = process.hrtime.bigint();
      await op(i);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    ops,
    events: ops * eventsPerOp,
    seconds,
    eventsPerSecond: (ops * eventsPerOp) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Peak RSS minus the RSS after a GC at the start, sampled every 20 ms. */
export class RssSampler {
  private peak: number;
  private readonly timer: NodeJS.Timeout;
  private constructor(private readonly start: number) {
    this.peak = start;
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 20);
  }
  static start(): RssSampler {
    (globalThis as { gc?: () => void }).gc?.();
    return new RssSampler(process.memoryUsage().rss);
  }
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage().rss) - this.start;
  }
}
