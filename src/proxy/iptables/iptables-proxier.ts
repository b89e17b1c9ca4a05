// The iptables mode: keeps the host's nat and filter tables in step with the service map.
// Each sync writes all of our chains in one `iptables-restore --noflush` (atomic per table; other
// chains untouched), then makes sure the built-in chains jump into ours. Syncs are rate-limited
// (SyncRunner) and repeated periodically so deleted rules come back. close() removes the jumps
// first (traffic stops entering our chains), then flushes and deletes every K8TS- chain.
import type { TimerClock } from '../../client/index.js';
import { mustRun, type CommandRunner } from '../exec.js';
import type { ServicePortInfo } from '../service-map.js';
import { SyncRunner } from '../sync-runner.js';
import { PREFIX } from './chain-names.js';
import { generateRules, JUMP_RULES, type JumpRule } from './rules.js';

export interface IptablesProxierOptions {
  run: CommandRunner;
  clock: TimerClock;
  /** Minimum time between restores (default 1 s). */
  minSyncMs?: number;
  /** Full resync period (default 30 s). */
  syncPeriodMs?: number;
  masqueradeAll?: boolean;
  onError?: (e: unknown) => void;
}

type Tables = { filter: Set<string>; nat: Set<string> };

export class IptablesProxier {
  private map: ServicePortInfo[] = [];
  /** No restore before the caller has a complete view (informers synced). */
  private ready = false;
  /** Our chains known to exist, per table: restores delete those no longer generated. */
  private chains: Tables = { filter: new Set(), nat: new Set() };
  private readonly runner: SyncRunner;
  /** The restore input last applied (for debugging and tests). */
  lastRules = '';
  syncCount = 0;

  constructor(private readonly opts: IptablesProxierOptions) {
    this.runner = new SyncRunner(() => this.sync(), {
      clock: opts.clock,
      minIntervalMs: opts.minSyncMs ?? 1000,
      periodMs: opts.syncPeriodMs ?? 30_000,
      onError: (e) => opts.onError?.(e),
    });
  }

  /** Learns which of our chains a previous run left, so the first restore cleans them up. */
  async init(): Promise<void> {
    this.chains = await ourChains(this.opts.run);
  }

  /** The new desired state; `ready` once the informers have synced. */
  update(map: ServicePortInfo[], ready = true): void {
    this.map = map;
    this.ready ||= ready;
    if (this.ready) this.runner.request();
  }

  /** Waits for the sync in progress, if any (tests). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  async close(): Promise<void> {
    await this.runner.stop();
    await removeJumps(this.opts.run, JUMP_RULES);
    const found = await ourChains(this.opts.run).catch(() => this.chains);
    const all = { filter: new Set([...found.filter, ...this.chains.filter]), nat: new Set([...found.nat, ...this.chains.nat]) };
    await mustRun(this.opts.run, 'iptables-restore', ['-w', '--noflush'], deleteChainsInput(all));
    this.chains = { filter: new Set(), nat: new Set() };
  }

  private async sync(): Promise<void> {
    const rules = generateRules(this.map, { masqueradeAll: this.opts.masqueradeAll, existingChains: this.chains });
    await mustRun(this.opts.run, 'iptables-restore', ['-w', '--noflush'], rules.text);
    this.chains = { filter: new Set(rules.chains.filter), nat: new Set(rules.chains.nat) };
    this.lastRules = rules.text;
    this.syncCount++;
    await ensureJumps(this.opts.run, JUMP_RULES);
  }
}

/** Our chains in the nat and filter tables, from iptables-save. */
export async function ourChains(run: CommandRunner): Promise<Tables> {
  const out: Tables = { filter: new Set(), nat: new Set() };
  for (const table of ['filter', 'nat'] as const) {
    const text = await mustRun(run, 'iptables-save', ['-t', table]);
    for (const line of text.split('\n')) {
      const m = /^:(\S+) /.exec(line);
      if (m && m[1]!.startsWith(PREFIX)) out[table].add(m[1]!);
    }
  }
  return out;
}

/** Restore input that flushes, then deletes, the given chains. */
export function deleteChainsInput(chains: Tables): string {
  let text = '';
  for (const table of ['filter', 'nat'] as const) {
    const list = [...chains[table]].sort();
    if (!list.length) continue;
    text += [`*${table}`, ...list.map((c) => `:${c} - [0:0]`), ...list.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
  }
  return text;
}

/** Inserts each jump at the top of its built-in chain unless it is there already. */
export async function ensureJumps(run: CommandRunner, jumps: JumpRule[]): Promise<void> {
  for (const j of jumps) {
    const check = await run('iptables', ['-w', '-t', j.table, '-C', j.chain, ...j.args]);
    if (check.code !== 0) await mustRun(run, 'iptables', ['-w', '-t', j.table, '-I', j.chain, ...j.args]);
  }
}

/** Deletes every copy of each jump (a crashed run may have left one). */
export async function removeJumps(run: CommandRunner, jumps: JumpRule[]): Promise<void> {
  for (const j of jumps) {
    for (let i = 0; i < 10; i++) {
      if ((await run('iptables', ['-w', '-t', j.table, '-D', j.chain, ...j.args])).code !== 0) break;
    }
  }
}
