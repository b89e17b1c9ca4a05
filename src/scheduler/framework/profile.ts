// A scheduling profile: which plugins run, in which order, with which score weights and args
// (the shape of KubeSchedulerConfiguration's profiles, multiPoint style: a plugin listed once
// takes part in every extension point it implements).

export interface PluginSpec {
  name: string;
  /** Score weight (default 1). */
  weight?: number;
}

export interface Profile {
  schedulerName: string;
  plugins: PluginSpec[];
  /** Plugin name → args (e.g. NodeResourcesFit's scoringStrategy). */
  pluginConfig?: Record<string, unknown>;
  /** 0 or absent: upstream's adaptive percentage. */
  percentageOfNodesToScore?: number;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** upstream's default multiPoint plugins (v1 getDefaultPlugins), minus the volume and image ones. */
export function defaultPlugins(): PluginSpec[] {
  return [
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'DefaultBinder' },
  ];
}

export interface ProfileOptions {
  schedulerName?: string;
  /** Plugins to leave out of the defaults. */
  disabled?: string[];
  /** Plugins to add after the defaults. */
  enabled?: PluginSpec[];
  pluginConfig?: Record<string, unknown>;
  percentageOfNodesToScore?: number;
}

export function defaultProfile(o: ProfileOptions = {}): Profile {
  const disabled = new Set(o.disabled ?? []);
  const plugins = [...defaultPlugins().filter((p) => !disabled.has(p.name) && !disabled.has('*')), ...(o.enabled ?? [])];
  return {
    schedulerName: o.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    plugins,
    pluginConfig: o.pluginConfig,
    percentageOfNodesToScore: o.percentageOfNodesToScore,
  };
}
