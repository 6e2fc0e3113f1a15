// Image references as container runtimes report them: fully qualified names (docker.io/library/nginx:latest).

/** The fully qualified form of an image reference, as containerd reports it in containerStatuses[].image. */
export function normalizeImage(ref: string): string {
  let name = ref;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  } else {
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      suffix = name.slice(colon);
      name = name.slice(0, colon);
    } else suffix = ':latest';
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // Like the docker reference rules: a first component with a dot, a colon or "localhost" names a registry.
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  return name + suffix;
}

/** The repository part of a normalized reference (no tag, no digest). */
export function imageRepository(normalized: string): string {
  const at = normalized.indexOf('@');
  if (at >= 0) return normalized.slice(0, at);
  const colon = normalized.lastIndexOf(':');
  return colon > normalized.lastIndexOf('/') ? normalized.slice(0, colon) : normalized;
}
