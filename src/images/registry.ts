// Test support: a local image registry (Debian's docker-registry) on loopback, and pushing containerd images into it.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ctr } from './import';

/** Where Debian's docker-registry package installs the registry. */
export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** A running registry. */
export interface LocalRegistry {
  /** "IP:PORT": the registry part of image references. */
  host: string;
  stop(): Promise<void>;
}

/** Options of startLocalRegistry. */
export interface LocalRegistryOptions {
  /** Require HTTP basic auth with this user (for imagePullSecrets tests); the password is hashed with bcrypt via python3. */
  auth?: { username: string; password: string };
  /** The address to listen on (default 127.0.0.1; containerd needs allowPlainHttpRegistry for any other). */
  ip?: string;
}

/** undefined when a local registry can be started here; otherwise why not. */
export function localRegistryUnavailable(): string | undefined {
  return existsSync(REGISTRY_BIN) ? undefined : `${REGISTRY_BIN} is not installed (Debian package docker-registry)`;
}

// The registry accepts only bcrypt in htpasswd files; Debian's python3 crypt module makes one through libxcrypt.
function bcryptHash(password: string): string {
  const script = 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  return execFileSync('python3', ['-W', 'ignore', '-c', script], { input: password, encoding: 'utf8' }).trim();
}

function registryConfig(dir: string, ip: string, htpasswd: string | undefined): string {
  const auth = htpasswd ? `auth:\n  htpasswd:\n    realm: tugboat-test\n    path: ${htpasswd}\n` : '';
  return `version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${dir}/data
  delete:
    enabled: true
http:
  addr: ${ip}:0
${auth}`;
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Starts docker-registry with its storage and config under `dir`, on a free loopback port; resolves once it listens. */
export async function startLocalRegistry(dir: string, opts: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const why = localRegistryUnavailable();
  if (why) throw new Error(why);
  mkdirSync(dir, { recursive: true });
  let htpasswd: string | undefined;
  if (opts.auth) {
    htpasswd = join(dir, 'htpasswd');
    writeFileSync(htpasswd, `${opts.auth.username}:${bcryptHash(opts.auth.password)}\n`);
  }
  const configFile = join(dir, 'config.yml');
  const ip = opts.ip ?? '127.0.0.1';
  writeFileSync(configFile, registryConfig(dir, ip, htpasswd));
  const child = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await waitExit(child, 5000);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  // With port 0 the only way to learn the port is the registry's own "listening on IP:PORT" log line.
  const listening = new RegExp(`listening on (${ip.replace(/\./g, '\\.')}:\\d+)`);
  const host = await new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => done(new Error(`docker-registry did not start in 15 s:\n${log.slice(-500)}`)), 15_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = listening.exec(log);
      if (m) done(undefined, m[1]);
    };
    const onExit = (code: number | null) => done(new Error(`docker-registry exited (${code}):\n${log.slice(-500)}`));
    const done = (err?: Error, found?: string) => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      child.stderr!.resume(); // keep draining so the registry never blocks on a full pipe
      if (err) reject(err);
      else resolve(found!);
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { host, stop };
}

/** Tags containerd image `ref` as `registryRef` and pushes it over plain HTTP (with `auth` "user:password" if given). */
export async function pushImage(endpoint: string, ref: string, registryRef: string, auth?: string): Promise<void> {
  await ctr(endpoint, ['images', 'tag', '--force', ref, registryRef]);
  await ctr(endpoint, ['images', 'push', '--plain-http', ...(auth ? ['--user', auth] : []), registryRef, registryRef]);
}
