// Upstream's number and byte formats per property (Go types in k8s.io/api and apimachinery, release-1.32), kept by hand.
//
// kubernetes-types writes every Go integer as `number`; upstream's int64 fields are listed here and every other
// number is an int32 (the packages we generate from have no float fields).

/** Properties (or their array items / map values) that are Go int64: integer, format int64. */
export const int64Fields: Record<string, readonly string[]> = {
  'io.k8s.api.apps.v1.ControllerRevision': ['revision'],
  'io.k8s.api.apps.v1.DaemonSetStatus': ['observedGeneration'],
  'io.k8s.api.apps.v1.DeploymentStatus': ['observedGeneration'],
  'io.k8s.api.apps.v1.ReplicaSetStatus': ['observedGeneration'],
  'io.k8s.api.apps.v1.StatefulSetStatus': ['observedGeneration'],
  'io.k8s.api.authentication.v1.TokenRequestSpec': ['expirationSeconds'],
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus': ['observedGeneration'],
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': ['observedGeneration'],
  'io.k8s.api.batch.v1.CronJobSpec': ['startingDeadlineSeconds'],
  'io.k8s.api.batch.v1.JobSpec': ['activeDeadlineSeconds'],
  'io.k8s.api.core.v1.ContainerImage': ['sizeBytes'],
  'io.k8s.api.core.v1.PodSecurityContext': ['fsGroup', 'runAsGroup', 'runAsUser', 'supplementalGroups'],
  'io.k8s.api.core.v1.PodSpec': ['activeDeadlineSeconds', 'terminationGracePeriodSeconds'],
  'io.k8s.api.core.v1.Probe': ['terminationGracePeriodSeconds'],
  'io.k8s.api.core.v1.ReplicationControllerStatus': ['observedGeneration'],
  'io.k8s.api.core.v1.SecurityContext': ['runAsGroup', 'runAsUser'],
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': ['expirationSeconds'],
  'io.k8s.api.core.v1.SleepAction': ['seconds'],
  'io.k8s.api.core.v1.Toleration': ['tolerationSeconds'],
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': ['observedGeneration'],
  'io.k8s.api.storage.v1.TokenRequest': ['expirationSeconds'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition': ['observedGeneration'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': ['gracePeriodSeconds'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': ['remainingItemCount'],
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': ['deletionGracePeriodSeconds', 'generation'],
};

/** Properties (or their map values) that are Go []byte: base64 strings, format byte. */
export const byteFields: Record<string, readonly string[]> = {
  'io.k8s.api.core.v1.ConfigMap': ['binaryData'],
  'io.k8s.api.core.v1.Secret': ['data'],
};
