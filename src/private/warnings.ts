import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every synth-time warning of the library, one scheme: `cdk-scope-environment:<part>-<what>`
 * (kebab case). Acknowledge one with `Annotations.of(scope).acknowledgeWarning(id, reason)`.
 */
export const WARNINGS = {
  networkAvailabilityZones: 'cdk-scope-environment:network-availability-zones',
  clusterNoAdmin: 'cdk-scope-environment:cluster-no-admin',
  clusterMaxPodsUnknown: 'cdk-scope-environment:cluster-max-pods-unknown',
  frontendControllerChartCrds: 'cdk-scope-environment:frontend-controller-chart-crds',
  frontendAccessLogsPolicy: 'cdk-scope-environment:frontend-access-logs-policy',
  frontendAccessLogsWithoutTls: 'cdk-scope-environment:frontend-access-logs-without-tls',
  dnsCertificateValidation: 'cdk-scope-environment:dns-certificate-validation',
  dnsAliasWithoutFrontend: 'cdk-scope-environment:dns-alias-without-frontend',
  dnsQueryLoggingRegion: 'cdk-scope-environment:dns-query-logging-region',
  dnsDnssecRegion: 'cdk-scope-environment:dns-dnssec-region',
  databaseEngineExtendedSupport: 'cdk-scope-environment:database-engine-extended-support',
  monitoringImportedKey: 'cdk-scope-environment:monitoring-imported-key',
  monitoringDatabaseClass: 'cdk-scope-environment:monitoring-database-class',
  monitoringDatabaseStorage: 'cdk-scope-environment:monitoring-database-storage',
} as const;

/** A warning id of the library (a value of WARNINGS). */
export type WarningId = typeof WARNINGS[keyof typeof WARNINGS];

/** Adds the library's warning `id` to `scope` (shown by `cdk synth`, failing `cdk synth --strict`). */
export function warn(scope: IConstruct, id: WarningId, message: string): void {
  Annotations.of(scope).addWarningV2(id, message);
}
