// Loaded into the gateway process in soak mode (`node --import`): every LOOP_PROBE_MS it appends one JSON line
// with the event-loop delay over the interval and the process's memory to LOOP_PROBE_FILE.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env['LOOP_PROBE_FILE'];
if (file) {
  const every = Number(process.env['LOOP_PROBE_MS'] ?? 5000);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  setInterval(() => {
    const memory = process.memoryUsage();
    const sample = {
      at: Date.now(),
      rssMb: Math.round(memory.rss / 1e4) / 100,
      heapMb: Math.round(memory.heapUsed / 1e4) / 100,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    };
    histogram.reset();
    appendFileSync(file, `${JSON.stringify(sample)}\n`);
  }, every).unref();
}
