/** Resident memory of another process from /proc (Linux): the server's footprint while it streams an export. */
import { readFileSync, writeFileSync } from 'node:fs';

/** VmRSS (now) and VmHWM (the peak since start or the last reset) of process `pid`, in bytes; NaN if unreadable. */
export function residentMemory(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/**
 * Resets VmHWM to the current RSS (proc(5), clear_refs "5"), so the next reading is the peak of what follows;
 * false when the kernel or permissions refuse (the peak is then the process's since it started).
 */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface MemorySampling {
  /** Stops sampling; the highest VmRSS seen, VmHWM at the end, and how many samples were taken. */
  stop(): { peakRss: number; hwm: number; samples: number };
}

/** Samples VmRSS of `pid` every `everyMs` milliseconds until stopped. */
export function sampleMemory(pid: number, everyMs = 50): MemorySampling {
  let peakRss = residentMemory(pid).rss;
  let samples = 1;
  const timer = setInterval(() => {
    const { rss } = residentMemory(pid);
    samples += 1;
    if (rss > peakRss) peakRss = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = residentMemory(pid);
      return { peakRss: Math.max(peakRss, last.rss), hwm: last.hwm, samples: samples + 1 };
    },
  };
}
