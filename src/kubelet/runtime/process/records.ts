// Bookkeeping shared by the runtimes that keep sandboxes and containers in memory (process,
// fake): ids as containerd makes them, CRI list filters, and the CRI views of a record.
import { randomBytes } from 'node:crypto';
import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerState,
  ContainerStatus,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  SandboxState,
} from '../cri.js';
import { RuntimeError } from '../cri.js';

/** 64 hex digits, like containerd's ids. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function nowNs(ms: number): number {
  return ms * 1_000_000;
}

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAt: number;
}

export interface ContainerRecord {
  id: string;
  podSandboxId: string;
  config: ContainerConfig;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  /** Absolute path of the current log file. */
  logPath: string;
  pid?: number;
}

function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function matchSandbox(s: SandboxRecord, f: PodSandboxFilter | undefined): boolean {
  if (!f) return true;
  if (f.id && !s.id.startsWith(f.id)) return false; // CRI filters match id prefixes
  if (f.state && s.state !== f.state) return false;
  return labelsMatch(f.labelSelector, s.config.labels);
}

export function matchContainer(c: ContainerRecord, f: ContainerFilter | undefined): boolean {
  if (!f) return true;
  if (f.id && !c.id.startsWith(f.id)) return false;
  if (f.podSandboxId && !c.podSandboxId.startsWith(f.podSandboxId)) return false;
  if (f.state && c.state !== f.state) return false;
  return labelsMatch(f.labelSelector, c.config.labels);
}

export function sandboxView(s: SandboxRecord): PodSandbox {
  const { metadata, labels, annotations } = s.config;
  return { id: s.id, metadata, state: s.state, createdAt: s.createdAt, labels, annotations };
}

export function containerView(c: ContainerRecord): Container {
  const { metadata, image, labels, annotations } = c.config;
  return { id: c.id, podSandboxId: c.podSandboxId, metadata, image, imageRef: c.imageRef, state: c.state, createdAt: c.createdAt, labels, annotations };
}

export function containerStatusView(c: ContainerRecord): ContainerStatus {
  const { metadata, image, labels, annotations, mounts } = c.config;
  return {
    id: c.id,
    metadata,
    state: c.state,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exitCode,
    image,
    imageRef: c.imageRef,
    reason: c.reason,
    message: c.message,
    labels,
    annotations,
    mounts,
    logPath: c.logPath,
    pid: c.state === 'CONTAINER_RUNNING' ? c.pid : undefined,
  };
}

export function notFound(kind: 'container' | 'pod sandbox', id: string): RuntimeError {
  return new RuntimeError('NotFound', `${kind} "${id}" not found`);
}

/** Looks a record up by full id or unique prefix (as crictl allows). */
export function lookup<T extends { id: string }>(map: Map<string, T>, id: string, kind: 'container' | 'pod sandbox'): T {
  const exact = map.get(id);
  if (exact) return exact;
  const matches = id.length >= 4 ? [...map.values()].filter((r) => r.id.startsWith(id)) : [];
  if (matches.length === 1) return matches[0]!;
  throw notFound(kind, id);
}
