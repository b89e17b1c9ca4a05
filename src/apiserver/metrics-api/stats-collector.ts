// Kubelet stats summaries of every node, fetched in parallel and kept for a few seconds so that
// `kubectl top` and repeated lists do not fan out to every node each time. A node whose kubelet does
// not answer (in time, or well) is left out, as metrics-server leaves it out.
import type { StatsSummary } from '../../api/kubelet/stats-summary.js';

export interface StatsCollectorOptions {
  /** The names of the nodes to ask. */
  nodeNames(): string[] | Promise<string[]>;
  /** One node's summary (GET /stats/summary on its kubelet). */
  fetch(nodeName: string, signal: AbortSignal): Promise<StatsSummary>;
  /** How long a round of summaries is reused (ms). */
  ttlMs?: number;
  /** How long one node may take (ms). */
  timeoutMs?: number;
  now?: () => number;
  /** Told about nodes left out. */
  onError?(nodeName: string, err: Error): void;
}

export class StatsCollector {
  private cached?: { at: number; summaries: Promise<Map<string, StatsSummary>> };

  constructor(private readonly opts: StatsCollectorOptions) {}

  /** The summaries by node name (only nodes that answered). */
  summaries(): Promise<Map<string, StatsSummary>> {
    const now = (this.opts.now ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.opts.ttlMs ?? 5000)) return this.cached.summaries;
    const summaries = this.collect();
    this.cached = { at: now, summaries };
    return summaries;
  }

  private async collect(): Promise<Map<string, StatsSummary>> {
    const names = await this.opts.nodeNames();
    const results = await Promise.all(names.map(async (name) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`no answer within ${this.opts.timeoutMs ?? 3000} ms`)), this.opts.timeoutMs ?? 3000);
      try {
        return [name, await this.opts.fetch(name, abort.signal)] as const;
      } catch (e) {
        this.opts.onError?.(name, abort.signal.aborted ? (abort.signal.reason as Error) : (e as Error));
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    }));
    return new Map(results.filter((r) => r !== undefined));
  }
}
