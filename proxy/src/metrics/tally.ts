// Counters whose increments are gathered per label set and handed to prom-client only when the counter is read
// (a scrape). prom-client hashes and validates the label object on every inc(); a request adds to several
// counters, nearly always the same few series, so each series is summed here in a plain number instead.
import { Counter, type Registry } from 'prom-client';

export interface TalliedCounter {
  /** Adds n (default 1) to the series with these label values, given in labelNames order. */
  add(values: readonly string[], n?: number): void;
}

export function talliedCounter<N extends string>(config: { name: string; help: string; labelNames: readonly N[]; registers: Registry[] }): TalliedCounter {
  const pending = new Map<string, { labels: Partial<Record<N, string>>; n: number }>();
  new Counter({
    ...config,
    collect() {
      for (const { labels, n } of pending.values()) this.inc(labels, n);
      pending.clear();
    },
  });
  return {
    add(values, n = 1) {
      const key = values.join('\u0000');
      const series = pending.get(key);
      if (series) {
        series.n += n;
        return;
      }
      const labels: Partial<Record<N, string>> = {};
      config.labelNames.forEach((name, i) => (labels[name] = values[i]));
      pending.set(key, { labels, n });
    },
  };
}
