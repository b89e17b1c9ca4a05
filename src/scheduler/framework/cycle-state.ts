// Per-cycle state: a bag keyed by plugin-chosen keys (by convention the plugin's name plus the
// extension point), written in PreFilter/PreScore and read in Filter/Score of the same cycle.
// Preemption clones it to try removing pods without disturbing the real cycle.

/** Something a plugin keeps in the cycle state; clone() is used when the state is copied. */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter answered Skip: their Filter is not run this cycle. */
  skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore answered Skip: their Score is not run this cycle. */
  skipScorePlugins = new Set<string>();
  /** The framework's memo of the filters not in skipFilterPlugins (valid for that set at that size). */
  activeFilters: { skip: Set<string>; size: number; list: readonly unknown[] } | undefined;

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    return c;
  }
}
