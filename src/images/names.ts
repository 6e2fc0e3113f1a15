// Names of the images tugboat builds locally from Debian's busybox-static, so nodes and tests need no outside registry.

/** The sandbox (pause) image our containerd is configured with. */
export const PAUSE_IMAGE = 'tugboat.local/pause:2';

/** busybox with its applets, /etc/passwd and /etc/group; runs as root. */
export const BUSYBOX_IMAGE = 'tugboat.local/busybox:1';

/** The same busybox image, but with User 65534 (nobody), for runAsNonRoot tests. */
export const BUSYBOX_NONROOT_IMAGE = 'tugboat.local/busybox-nonroot:1';
