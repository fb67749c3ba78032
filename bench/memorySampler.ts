/** Peak memory of this process, sampled every `intervalMs` (never keeps the process alive). */
export interface MemoryPeak {
  rss: number;
  heapUsed: number;
}

export class MemorySampler {
  private peakRss = 0;
  private peakHeap = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }

  /** The peak so far; RSS also from the kernel's high-water mark, which catches spikes between samples. */
  peak(): MemoryPeak {
    this.sample();
    return { rss: Math.max(this.peakRss, process.resourceUsage().maxRSS * 1024), heapUsed: this.peakHeap };
  }

  stop(): MemoryPeak {
    clearInterval(this.timer);
    return this.peak();
  }
}
