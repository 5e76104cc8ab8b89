import { readdirSync, readFileSync } from 'node:fs';
import type { TextChunks } from './prometheus-text';

/**
 * The usual `process_*` and `nodejs_*` metrics under the names Prometheus' client libraries use,
 * read when scraped. Nothing samples in between (prom-client's defaults wake the process every
 * 10 ms to measure event-loop lag), so an idle `serve` stays asleep. Figures the system does not
 * offer (the /proc ones outside Linux) are absent.
 */
export function writeProcessMetrics(out: TextChunks): void {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const gauge = (name: string, help: string, value: number | null, labels = ''): void => {
    if (value === null) return;
    out.family(name, 'gauge', help);
    out.sample(name, labels, value);
  };
  const counter = (name: string, help: string, seconds: number): void => {
    out.family(name, 'counter', help);
    out.sample(name, '', seconds);
  };
  counter('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', cpu.user / 1e6);
  counter('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', cpu.system / 1e6);
  counter(
    'process_cpu_seconds_total',
    'Total user and system CPU time spent in seconds.',
    (cpu.user + cpu.system) / 1e6,
  );
  gauge(
    'process_start_time_seconds',
    'Start time of the process since unix epoch in seconds.',
    Math.round(Date.now() / 1000 - process.uptime()),
  );
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', memory.rss);
  const status = procStatus();
  gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', status.get('VmSize') ?? null);
  gauge('process_heap_bytes', 'Process heap size in bytes.', status.get('VmData') ?? null);
  gauge('process_open_fds', 'Number of open file descriptors.', openFds());
  gauge('process_max_fds', 'Maximum number of open file descriptors.', maxFds());
  gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', memory.heapTotal);
  gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', memory.heapUsed);
  gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', memory.external);
  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  gauge(
    'nodejs_version_info',
    'Node.js version info.',
    1,
    `{version="v${process.versions.node}",major="${major}",minor="${minor}",patch="${patch}"}`,
  );
}

/** `VmSize`, `VmData`… of /proc/self/status in bytes; empty where there is no /proc. */
function procStatus(): Map<string, number> {
  const fields = new Map<string, number>();
  const text = readProc('/proc/self/status');
  if (text === null) return fields;
  for (const match of text.matchAll(/^(Vm\w+):\s+(\d+) kB$/gm)) {
    const [, name, kilobytes] = match;
    if (name !== undefined && kilobytes !== undefined) fields.set(name, Number(kilobytes) * 1024);
  }
  return fields;
}

function openFds(): number | null {
  try {
    // The listing itself holds one descriptor while it runs.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}

let maxFdsRead: number | null | undefined;

/** The soft limit, read once: it does not change while the process runs. */
function maxFds(): number | null {
  if (maxFdsRead === undefined) {
    const limit = /^Max open files\s+(\d+)/m.exec(readProc('/proc/self/limits') ?? '')?.[1];
    maxFdsRead = limit === undefined ? null : Number(limit);
  }
  return maxFdsRead;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
