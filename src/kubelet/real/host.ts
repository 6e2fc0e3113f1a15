// The facts about this machine a kubelet reports on its Node: name, capacity, OS, ids and the address of the default route.
import { readFileSync, statfsSync } from 'node:fs';
import { cpus, hostname, networkInterfaces, release } from 'node:os';

/** What the host offers and is. */
export interface HostInfo {
  /** The node name: the host name, lowercased (upstream's default --hostname-override). */
  name: string;
  cpus: number;
  memoryBytes: number;
  /** Size of the filesystem holding the data dir. */
  ephemeralStorageBytes: number;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  /** IPv4 address of the interface of the default route (else the first non-internal IPv4 address). */
  internalIP: string;
  architecture: string;
}

const readOr = (path: string, fallback: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
};

/** MemTotal of /proc/meminfo in bytes. */
export function parseMemTotal(meminfo: string): number {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : 0;
}

/** PRETTY_NAME of /etc/os-release (what `kubectl get nodes -o wide` shows as OS-IMAGE). */
export function parseOsImage(osRelease: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  return m ? m[1].replace(/^"(.*)"$/, '$1') : 'Linux';
}

/** The interface of the default route in /proc/net/route (destination 0), if any. */
export function defaultRouteInterface(route: string): string | undefined {
  for (const line of route.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length > 7 && f[1] === '00000000' && f[7] === '00000000') return f[0];
  }
  return undefined;
}

function internalIP(): string {
  const ifaces = networkInterfaces();
  const v4 = (name: string) => ifaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  const dflt = defaultRouteInterface(readOr('/proc/net/route', ''));
  if (dflt && v4(dflt)) return v4(dflt)!;
  for (const name of Object.keys(ifaces)) if (v4(name)) return v4(name)!;
  return '127.0.0.1';
}

/** Reads the host's facts; `dataDir` is where pod data lives (its filesystem is the node's ephemeral storage). */
export function readHostInfo(dataDir: string): HostInfo {
  let ephemeralStorageBytes = 0;
  try {
    const fs = statfsSync(dataDir);
    ephemeralStorageBytes = fs.blocks * fs.bsize;
  } catch {
    // Not reported when the data dir cannot be measured.
  }
  const machineID = readOr('/etc/machine-id', '');
  return {
    name: hostname().toLowerCase(),
    cpus: cpus().length,
    memoryBytes: parseMemTotal(readOr('/proc/meminfo', '')),
    ephemeralStorageBytes,
    kernelVersion: release(),
    osImage: parseOsImage(readOr('/etc/os-release', '')),
    machineID,
    systemUUID: readOr('/sys/class/dmi/id/product_uuid', machineID),
    bootID: readOr('/proc/sys/kernel/random/boot_id', ''),
    internalIP: internalIP(),
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
  };
}
