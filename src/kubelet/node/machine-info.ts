// Facts about the host the node reports: capacity, addresses, nodeInfo.
import { cpus, totalmem, networkInterfaces, release, arch, platform } from 'node:os';
import { readFileSync, statfsSync } from 'node:fs';

export interface MachineInfo {
  cpuCores: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
}

function readTrim(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function osImage(): string {
  const text = readTrim('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? `${platform()} ${release()}`;
}

export function machineInfo(rootDir: string): MachineInfo {
  let storage = 0;
  try {
    const s = statfsSync(rootDir);
    storage = s.blocks * s.bsize;
  } catch {
    storage = 0;
  }
  const machineID = readTrim('/etc/machine-id');
  return {
    cpuCores: cpus().length,
    memoryBytes: totalmem(),
    ephemeralStorageBytes: storage,
    machineID,
    systemUUID: readTrim('/sys/class/dmi/id/product_uuid') || machineID,
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: osImage(),
    operatingSystem: platform(),
    architecture: arch() === 'x64' ? 'amd64' : arch() === 'ia32' ? '386' : arch(),
  };
}

/** The node's IP: the first non-internal IPv4 address, else loopback. */
export function defaultNodeIP(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
