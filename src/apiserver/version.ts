// What /version reports: a v1.32 gitVersion, since the kubectl dispatcher picks its client by the server's minor.

/** The Kubernetes version tugboat implements. */
export const KUBE_VERSION = { major: '1', minor: '32', patch: '4' };

/** The /version document. */
export function versionInfo(tugboatVersion: string): object {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+tugboat-${tugboatVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-26T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
