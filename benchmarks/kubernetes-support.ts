/**
 * How long the default Kubernetes version stays in EKS standard support, from the dated calendar
 * in kubernetes-versions.json, and what a cluster's control plane costs per hour on a given day
 * (extended support is billed from the end-of-standard-support day when the upgrade policy is EXTENDED).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_KUBERNETES_VERSION } from '../src/cluster/kubernetes-version';

export interface KubernetesRelease {
  readonly version: string;
  readonly eksRelease: string;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
  readonly source: string;
}

export const CALENDAR = JSON.parse(fs.readFileSync(path.join(__dirname, 'kubernetes-versions.json'), 'utf8'));
const PRICES = JSON.parse(fs.readFileSync(path.join(__dirname, 'prices-us-east-1.json'), 'utf8'));
/** Extended support price per cluster-hour (standard is PRICES.eksClusterHour); see CALENDAR.sources.pricing. */
export const EKS_EXTENDED_SUPPORT_HOUR = 0.60;

const DAY_MS = 86_400_000;
const utcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

export function release(version: string): KubernetesRelease {
  const r = (CALENDAR.versions as KubernetesRelease[]).find(v => v.version === version);
  if (!r) throw new Error(`Kubernetes ${version} is not in benchmarks/kubernetes-versions.json: add its EKS calendar dates`);
  return r;
}

/** Whole days from `today` to the end of standard support of `version` (negative once passed). */
export function daysOfStandardSupportLeft(version: string, today: Date): number {
  return Math.round((Date.parse(`${release(version).endOfStandardSupport}T00:00:00Z`) - utcDay(today)) / DAY_MS);
}

/**
 * Control plane price per hour on `today`: extended support is billed once standard support has
 * ended, unless the upgrade policy is STANDARD (then EKS upgrades the cluster instead).
 */
export function controlPlaneHour(version: string, supportType: string | undefined, today: Date): number {
  const extended = (supportType ?? 'EXTENDED') === 'EXTENDED' && daysOfStandardSupportLeft(version, today) <= 0;
  return extended ? EKS_EXTENDED_SUPPORT_HOUR : PRICES.eksClusterHour;
}

/** The default version's support window on `today` (for the bench table and results.json). */
export function defaultVersionSupport(today: Date) {
  const r = release(DEFAULT_KUBERNETES_VERSION);
  const daysLeft = daysOfStandardSupportLeft(r.version, today);
  const hours: number = PRICES.hoursPerMonth;
  return {
    ...r,
    daysOfStandardSupportLeft: daysLeft,
    monthlyStandard: PRICES.eksClusterHour * hours,
    monthlyExtended: EKS_EXTENDED_SUPPORT_HOUR * hours,
    billedNow: daysLeft > 0 ? 'standard' : 'extended (upgrade policy EXTENDED) or auto-upgraded (STANDARD)',
  };
}
