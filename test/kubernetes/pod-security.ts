/**
 * The Pod Security Standards "restricted" checks (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
 * plus the hardening the library asks of every pod it runs itself: a read-only root filesystem and
 * no service account token mounted into a container that does not call the Kubernetes API.
 */

/** The pod spec of a Pod, a workload (Deployment, StatefulSet, DaemonSet, Job) or a CronJob; undefined otherwise. */
export function podSpecOf(object: any): any {
  if (object.kind === 'Pod') return object.spec;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(object.kind)) return object.spec?.template?.spec;
  return undefined;
}

/** Volume types the restricted policy allows. */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
/** Sysctls the baseline (and so the restricted) policy allows. */
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const API_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Violations of `spec` (a pod spec), each naming the container and the field. */
export function podSecurityViolations(spec: any): string[] {
  const errors: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[field]) errors.push(`${field} must be unset or false`);
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find(k => k !== 'name');
    if (!RESTRICTED_VOLUMES.includes(type!)) errors.push(`volume ${volume.name}: type ${type} is not allowed`);
  }
  for (const sysctl of pod.sysctls ?? []) if (!SAFE_SYSCTLS.includes(sysctl.name)) errors.push(`sysctl ${sysctl.name} is not allowed`);
  if (pod.runAsUser === 0) errors.push('securityContext.runAsUser must not be 0');
  if (spec.automountServiceAccountToken !== false) errors.push('automountServiceAccountToken must be false (mount a token only into a container that calls the API)');
  for (const container of [...spec.initContainers ?? [], ...spec.containers ?? []]) {
    const c = container.securityContext ?? {};
    const name = `container ${container.name}`;
    if (c.privileged) errors.push(`${name}: privileged must be unset or false`);
    if ((c.runAsNonRoot ?? pod.runAsNonRoot) !== true) errors.push(`${name}: runAsNonRoot must be true`);
    if (c.runAsUser === 0) errors.push(`${name}: runAsUser must not be 0`);
    if (c.allowPrivilegeEscalation !== false) errors.push(`${name}: allowPrivilegeEscalation must be false`);
    if (!(c.capabilities?.drop ?? []).includes('ALL')) errors.push(`${name}: capabilities.drop must include ALL`);
    const added = (c.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    if (added.length) errors.push(`${name}: capabilities.add may only hold NET_BIND_SERVICE, has ${added.join(', ')}`);
    const seccomp = (c.seccompProfile ?? pod.seccompProfile)?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) errors.push(`${name}: seccompProfile.type must be RuntimeDefault or Localhost`);
    if (c.readOnlyRootFilesystem !== true) errors.push(`${name}: readOnlyRootFilesystem must be true`);
    if (!/@sha256:[0-9a-f]{64}$/.test(container.image ?? '')) errors.push(`${name}: image ${container.image} must be pinned by digest`);
    const apiMount = (container.volumeMounts ?? []).find((m: any) => m.mountPath === API_TOKEN_PATH);
    if (apiMount && apiMount.readOnly !== true) errors.push(`${name}: the API token volume must be mounted read-only`);
  }
  return errors;
}
