// Pure: registry credentials of a pod's imagePullSecrets (dockerconfigjson / dockercfg) for an image, as CRI AuthConfigs.
import type { Secret } from 'kubernetes-types/core/v1';
import type { AuthConfig, CriRequest } from '../../cri/types';
import { normalizeImage } from '../images';

interface DockerAuth {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** The registry host of an image reference (docker.io for short names). */
export function registryHost(image: string): string {
  return normalizeImage(image).split('/')[0];
}

// "https://index.docker.io/v1/" and friends name Docker Hub; other keys may carry a scheme or a path.
function keyHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//, '').split('/')[0];
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

function decode(secret: Secret): Record<string, DockerAuth> {
  const data = secret.data ?? {};
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson' && data['.dockerconfigjson']) {
      return (JSON.parse(Buffer.from(data['.dockerconfigjson'], 'base64').toString()).auths ?? {}) as Record<string, DockerAuth>;
    }
    if (secret.type === 'kubernetes.io/dockercfg' && data['.dockercfg']) {
      return JSON.parse(Buffer.from(data['.dockercfg'], 'base64').toString()) as Record<string, DockerAuth>;
    }
  } catch {
    // An unreadable secret gives no credentials, as upstream's keyring skips it.
  }
  return {};
}

/** The credentials in `secrets` for `image`'s registry, in the secrets' order. */
export function pullAuths(image: string, secrets: Secret[]): CriRequest<AuthConfig>[] {
  const host = registryHost(image);
  const out: CriRequest<AuthConfig>[] = [];
  for (const s of secrets) {
    for (const [key, a] of Object.entries(decode(s))) {
      if (keyHost(key) !== host) continue;
      let { username, password } = a;
      if (a.auth && !username) {
        const plain = Buffer.from(a.auth, 'base64').toString();
        const colon = plain.indexOf(':');
        if (colon >= 0) [username, password] = [plain.slice(0, colon), plain.slice(colon + 1)];
      }
      // containerd 1.6 parses serverAddress as a URL and rejects host:port; the image reference already names the registry.
      out.push({ username: username ?? '', password: password ?? '', serverAddress: '', identityToken: a.identitytoken ?? '', registryToken: a.registrytoken ?? '' });
    }
  }
  return out;
}
