// What a Service create, update or delete allocates and releases (upstream's service REST
// alloc.go): the cluster IP unless ExternalName or headless; node ports for NodePort services and
// for LoadBalancers unless allocateLoadBalancerNodePorts is false (requested ones always); a
// health-check node port for LoadBalancers with externalTrafficPolicy Local. Requests that cannot
// be met answer 422 with upstream's field errors; an exhausted range answers 500, as upstream.
import { errors, field, type StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/strategies/types.js';
import { AllocationOp } from './allocation-op.js';
import { isAllocationError, RangeFullError } from './errors.js';
import { checkIPFamilies } from './ip-families.js';
import type { Owner, Reservations } from './reservations.js';

type Obj = Record<string, any>;

const specOf = (svc: KObject): Obj => (svc.spec && typeof svc.spec === 'object' ? svc.spec : (svc.spec = {}));
const portsOf = (spec: Obj): Obj[] => (Array.isArray(spec.ports) ? spec.ports.filter((p: unknown) => p && typeof p === 'object') : []);
const isHeadless = (spec: Obj) => Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None';
const hasNodePorts = (spec: Obj) => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const shouldAllocateNodePorts = (spec: Obj) => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
const needsHealthCheck = (spec: Obj) => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
const nodePortsOf = (spec: Obj): number[] => portsOf(spec).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n !== 0);

export class ServiceAllocator {
  constructor(
    private readonly ips: Reservations<string>,
    private readonly ports: Reservations<number>,
  ) {}

  /** Allocates for a new service, filling spec.clusterIP(s) and node ports. */
  async allocateCreate(svc: KObject, dryRun: boolean): Promise<AllocationOp> {
    this.checkFamilies(svc);
    const op = new AllocationOp(ownerOf(svc), dryRun);
    const spec = specOf(svc);
    return this.inOp(op, async () => {
      await this.allocClusterIPs(svc, op);
      if (hasNodePorts(spec)) await this.initNodePorts(svc, op);
      if (needsHealthCheck(spec)) await this.allocHealthCheckNodePort(svc, op);
    });
  }

  /** Allocates what an update adds and schedules the release of what it drops. */
  async allocateUpdate(svc: KObject, old: KObject, dryRun: boolean): Promise<AllocationOp> {
    this.checkFamilies(svc, old);
    const op = new AllocationOp(ownerOf(old), dryRun);
    const spec = specOf(svc);
    const o = specOf(old);
    return this.inOp(op, async () => {
      if (o.type === 'ExternalName' && spec.type !== 'ExternalName') await this.allocClusterIPs(svc, op);
      else if (o.type !== 'ExternalName' && spec.type === 'ExternalName' && !isHeadless(o)) this.releaseClusterIPs(o, op);
      if (hasNodePorts(o) && !hasNodePorts(spec)) for (const n of nodePortsOf(o)) op.releaseLater(this.ports, n);
      if (hasNodePorts(spec)) await this.updateNodePorts(svc, old, op);
      if (!needsHealthCheck(o) && needsHealthCheck(spec)) await this.allocHealthCheckNodePort(svc, op);
      else if (needsHealthCheck(o) && !needsHealthCheck(spec) && o.healthCheckNodePort) op.releaseLater(this.ports, o.healthCheckNodePort);
    });
  }

  /** Frees everything a deleted service held (only what it still owns). */
  async releaseAll(svc: KObject): Promise<void> {
    const op = new AllocationOp(ownerOf(svc), false);
    const spec = specOf(svc);
    if (spec.type !== 'ExternalName' && !isHeadless(spec)) this.releaseClusterIPs(spec, op);
    for (const n of nodePortsOf(spec)) op.releaseLater(this.ports, n);
    if (needsHealthCheck(spec) && spec.healthCheckNodePort) op.releaseLater(this.ports, spec.healthCheckNodePort);
    await op.commit();
  }

  private checkFamilies(svc: KObject, old?: KObject): void {
    const errs = checkIPFamilies(svc, old);
    if (errs.length) throw errors.invalid('', 'Service', svc.metadata?.name ?? '', errs);
  }

  private async inOp(op: AllocationOp, fn: () => Promise<void>): Promise<AllocationOp> {
    try {
      await fn();
      return op;
    } catch (e) {
      await op.revert();
      throw e;
    }
  }

  private releaseClusterIPs(spec: Obj, op: AllocationOp): void {
    const ips: string[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
    for (const ip of ips) if (ip && ip !== 'None') op.releaseLater(this.ips, ip);
  }

  private async allocClusterIPs(svc: KObject, op: AllocationOp): Promise<void> {
    const spec = specOf(svc);
    if (spec.type === 'ExternalName' || isHeadless(spec)) return;
    const requested: string = (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0]) || spec.clusterIP || '';
    let ip = requested;
    try {
      if (requested) await op.allocate(this.ips, requested);
      else ip = await op.allocateNext(this.ips);
    } catch (e) {
      if (e instanceof RangeFullError) throw errors.internal(`failed to allocate a serviceIP: ${e.message}`);
      if (!isAllocationError(e)) throw e;
      throw invalid(svc, 'spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: ${e.message}`);
    }
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }

  /** Node ports of a new service: one per service port number, shared across protocols. */
  private async initNodePorts(svc: KObject, op: AllocationOp): Promise<void> {
    const spec = specOf(svc);
    const ports = portsOf(spec);
    const byServicePort = new Map<number, number>();
    for (const [i, p] of ports.entries()) {
      if (!p.nodePort && !shouldAllocateNodePorts(spec)) continue;
      const given = byServicePort.get(p.port);
      if (given === undefined) {
        const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort as number | undefined;
        p.nodePort = requested ? await this.requestPort(svc, op, requested, `spec.ports[${i}].nodePort`) : await this.nextPort(op, 'a nodePort');
        byServicePort.set(p.port, p.nodePort);
      } else if (p.nodePort !== given) {
        if (!p.nodePort) p.nodePort = given;
        else await this.requestPort(svc, op, p.nodePort, `spec.ports[${i}].nodePort`);
      }
    }
  }

  private async updateNodePorts(svc: KObject, old: KObject, op: AllocationOp): Promise<void> {
    const spec = specOf(svc);
    const had = nodePortsOf(specOf(old));
    const taken = new Set<number>();
    for (const [i, p] of portsOf(spec).entries()) {
      if (!p.nodePort && !shouldAllocateNodePorts(spec)) continue;
      if (p.nodePort) {
        if (had.includes(p.nodePort) || taken.has(p.nodePort)) continue;
        await this.requestPort(svc, op, p.nodePort, `spec.ports[${i}].nodePort`);
        taken.add(p.nodePort);
      } else {
        p.nodePort = await this.nextPort(op, 'a nodePort');
      }
    }
    const now = nodePortsOf(spec);
    for (const n of had) if (!now.includes(n)) op.releaseLater(this.ports, n);
  }

  private async allocHealthCheckNodePort(svc: KObject, op: AllocationOp): Promise<void> {
    const spec = specOf(svc);
    const requested = spec.healthCheckNodePort;
    if (!requested) {
      spec.healthCheckNodePort = await this.nextPort(op, 'a HealthCheck NodePort 0');
      return;
    }
    try {
      await op.allocate(this.ports, requested);
    } catch (e) {
      if (!isAllocationError(e)) throw e;
      throw errors.internal(`failed to allocate requested HealthCheck NodePort ${requested}: ${e.message}`);
    }
  }

  private async requestPort(svc: KObject, op: AllocationOp, port: number, path: string): Promise<number> {
    try {
      await op.allocate(this.ports, port);
      return port;
    } catch (e) {
      if (!isAllocationError(e)) throw e;
      throw invalid(svc, path, port, e.message);
    }
  }

  /** `what` names the allocation in the 500 upstream answers when the range is full. */
  private async nextPort(op: AllocationOp, what: string): Promise<number> {
    try {
      return await op.allocateNext(this.ports);
    } catch (e) {
      if (e instanceof RangeFullError) throw errors.internal(`failed to allocate ${what}: ${e.message}`);
      throw e;
    }
  }
}

function ownerOf(svc: KObject): Owner {
  const m = svc.metadata ?? {};
  return { namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' };
}

function invalid(svc: KObject, path: string, value: unknown, detail: string): StatusError {
  return errors.invalid('', 'Service', svc.metadata?.name ?? '', [field.invalid(path, value, detail)]);
}
