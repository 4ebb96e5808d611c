/**
 * Idle monthly list price of a synthesized environment: a bill of materials read from the
 * template (clusters, node groups with their instance type, size and disks, NAT gateways, load
 * balancers, public IPv4 addresses, database class, Multi-AZ and storage, keys, secrets, zones,
 * CloudWatch alarms and dashboards, Container Insights estimates),
 * priced with prices-us-east-1.json. Usage-based charges (data, requests, logs) are left out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { controlPlaneHour } from './kubernetes-support';
import { Resource, Template } from './template';
import { instanceTypeData } from '../src/cluster/instance-types';

export const PRICES = JSON.parse(fs.readFileSync(path.join(__dirname, 'prices-us-east-1.json'), 'utf8'));

export interface BillLine {
  readonly item: string;
  readonly quantity: string;
  readonly monthly: number;
}

export interface Bill {
  readonly lines: BillLine[];
  readonly total: number;
}

/** What to change in the template's bill: e.g. another node instance type (for what-if rows). */
export interface BillOverrides {
  readonly nodeInstanceType?: string;
  readonly nodeCount?: number;
  /** ON_DEMAND or SPOT. */
  readonly nodeCapacityType?: string;
  /** Price Spot nodes at the on-demand price (the most a Spot instance costs: its default maximum price). */
  readonly spotAtOnDemand?: boolean;
  /** The day to price the control plane on (extended support is billed past the end of standard support). */
  readonly today?: Date;
}

/** On-demand price of an EC2 instance type (the one instance type table, src/cluster/instance-types.ts). */
export function onDemandHour(instanceType: string): number {
  const data = instanceTypeData(instanceType);
  if (data?.onDemandHourUsd === undefined) throw new Error(`no price for ${instanceType} in src/cluster/instance-types.ts`);
  return data.onDemandHourUsd;
}

export function bill(template: Template, overrides: BillOverrides = {}): Bill {
  const hours: number = PRICES.hoursPerMonth;
  const all = Object.values(template.Resources);
  const ofType = (type: string) => all.filter(r => r.Type === type);
  const lines: BillLine[] = [];
  const add = (item: string, quantity: string, monthly: number) => {
    if (monthly > 0) lines.push({ item, quantity, monthly });
  };
  const price = (table: string, key: string): number => {
    const value = PRICES[table][key];
    if (value === undefined) throw new Error(`no price for ${key} in ${table} of prices-us-east-1.json`);
    return value;
  };

  for (const cluster of ofType('AWS::EKS::Cluster')) {
    const version = String(cluster.Properties.Version);
    const hourly = controlPlaneHour(version, cluster.Properties.UpgradePolicy?.SupportType, overrides.today ?? new Date());
    add(`EKS control plane (${version}, ${hourly > PRICES.eksClusterHour ? 'extended' : 'standard'} support)`, `1 x $${hourly.toFixed(2)}/h`, hourly * hours);
  }

  for (const ng of ofType('AWS::EKS::Nodegroup')) {
    const p = ng.Properties;
    const launchData = launchTemplateData(template, p.LaunchTemplate);
    const type: string = overrides.nodeInstanceType ?? p.InstanceTypes?.[0] ?? launchData?.InstanceType ?? 't3.medium';
    const count: number = overrides.nodeCount ?? Number(p.ScalingConfig?.DesiredSize ?? 2);
    const diskGb = Number(launchData?.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize ?? p.DiskSize ?? 20);
    const spot = (overrides.nodeCapacityType ?? p.CapacityType ?? 'ON_DEMAND') === 'SPOT';
    const onDemand = onDemandHour(type);
    if (spot && !overrides.spotAtOnDemand) {
      const hour = onDemand * PRICES.spot.fractionOfOnDemand;
      add('EKS nodes (EC2 Spot)', `${count} x ${type} at ~$${round4(hour)}/h (assumed ${PRICES.spot.fractionOfOnDemand * 100}% of on-demand $${onDemand}/h)`, count * hour * hours);
    } else {
      add(spot ? 'EKS nodes (EC2 Spot, at most on-demand)' : 'EKS nodes (EC2)', `${count} x ${type} at $${onDemand}/h`, count * onDemand * hours);
    }
    add('Node disks (EBS gp3)', `${count} x ${diskGb} GB`, count * diskGb * PRICES.ebsGp3GbMonth);
    if (launchData?.Monitoring?.Enabled === true) {
      const metrics = count * PRICES.detailedMonitoringMetricsPerInstance;
      add('Node detailed monitoring (CloudWatch metrics)', `${count} nodes x ${PRICES.detailedMonitoringMetricsPerInstance} metrics (assumed) x $${PRICES.detailedMonitoringMetricMonth}`,
        metrics * PRICES.detailedMonitoringMetricMonth);
    }
  }

  const nats = ofType('AWS::EC2::NatGateway').length;
  add('NAT gateways', `${nats} x $${PRICES.natGatewayHour}/h`, nats * PRICES.natGatewayHour * hours);

  let publicIps = ofType('AWS::EC2::EIP').length;
  const ipSources = publicIps ? [`${publicIps} EIP`] : [];
  for (const lb of ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const network = lb.Properties.Type === 'network';
    add(network ? 'Network Load Balancer' : 'Application Load Balancer', network ? `1 x $${PRICES.networkLoadBalancerHour}/h, idle LCU ~0` : '1',
      (network ? PRICES.networkLoadBalancerHour : PRICES.applicationLoadBalancerHour) * hours);
    if (lb.Properties.Scheme === 'internet-facing') {
      const zones = (lb.Properties.Subnets ?? lb.Properties.SubnetMappings ?? []).length;
      publicIps += zones;
      ipSources.push(`${zones} load balancer`);
    }
  }
  add('Public IPv4 addresses', `${publicIps} (${ipSources.join(' + ')}) x $${PRICES.publicIpv4Hour}/h`, publicIps * PRICES.publicIpv4Hour * hours);

  for (const db of ofType('AWS::RDS::DBInstance')) {
    const p = db.Properties;
    const copies = String(p.MultiAZ) === 'true' ? 2 : 1;
    const az = copies === 2 ? ', Multi-AZ (x2)' : '';
    const cls: string = p.DBInstanceClass;
    add('RDS PostgreSQL instance', `${cls} at $${price('rdsPostgresInstanceHour', cls)}/h${az}`, copies * price('rdsPostgresInstanceHour', cls) * hours);
    const gb = Number(p.AllocatedStorage ?? 20);
    add('RDS storage (gp3)', `${gb} GB${az}`, copies * gb * PRICES.rdsGp3GbMonth);
    databaseInsightsLine(p, lines);
  }

  const keys = ofType('AWS::KMS::Key').length;
  // Year one; each of a key's first two yearly rotations adds $1/month (aws.amazon.com/kms/pricing, "Key Storage").
  add('KMS keys', `${keys} x $${PRICES.kmsKeyMonth}/month (+$1 each after its 1st and 2nd yearly rotation)`, keys * PRICES.kmsKeyMonth);
  const secrets = ofType('AWS::SecretsManager::Secret').length;
  add('Secrets Manager secrets', `${secrets} x $${PRICES.secretMonth}/month`, secrets * PRICES.secretMonth);
  const zones = ofType('AWS::Route53::HostedZone').length;
  add('Route 53 hosted zones', `${zones} x $${PRICES.hostedZoneMonth}/month`, zones * PRICES.hostedZoneMonth);

  // CloudWatch: alarms per metric they read (a metric math alarm reads several), Metrics Insights
  // alarms per metric analyzed (an assumed number of run-time queues), dashboards.
  let alarmMetrics = 0;
  let insightsAlarms = 0;
  for (const alarm of ofType('AWS::CloudWatch::Alarm')) {
    const queries: any[] = alarm.Properties.Metrics ?? [];
    if (queries.some(q => /^\s*SELECT\b/i.test(String(q.Expression ?? '')))) insightsAlarms++;
    else alarmMetrics += queries.length > 0 ? queries.filter(q => q.MetricStat).length : 1;
  }
  add('CloudWatch alarms', `${alarmMetrics} alarm metrics x $${PRICES.alarmMetricMonth}`, alarmMetrics * PRICES.alarmMetricMonth);
  const analyzed = insightsAlarms * PRICES.metricsInsightsAssumedQueues;
  add('CloudWatch Metrics Insights alarms', `${insightsAlarms} alarms x ${PRICES.metricsInsightsAssumedQueues} queues (assumed) x $${PRICES.metricsInsightsAlarmMetricAnalyzedMonth}`,
    analyzed * PRICES.metricsInsightsAlarmMetricAnalyzedMonth);
  const dashboards = ofType('AWS::CloudWatch::Dashboard').length;
  add('CloudWatch dashboards', `${dashboards} x $${PRICES.dashboardMonth}/month`, dashboards * PRICES.dashboardMonth);

  // Container Insights (amazon-cloudwatch-observability add-on): observations and log ingestion per node.
  const insights = ofType('AWS::EKS::Addon').some(a => a.Properties.AddonName === 'amazon-cloudwatch-observability');
  if (insights) {
    const nodes = ofType('AWS::EKS::Nodegroup').reduce((n, ng) => n + (overrides.nodeCount ?? Number(ng.Properties.ScalingConfig?.DesiredSize ?? 2)), 0);
    const observations = nodes * PRICES.containerInsightsObservationsPerNodeMinute * 60 * hours;
    add('Container Insights observations (estimate)', `${nodes} nodes x ${PRICES.containerInsightsObservationsPerNodeMinute}/min = ${(observations / 1e6).toFixed(1)} M x $${PRICES.containerInsightsObservationsPerMillion}/M`,
      (observations / 1e6) * PRICES.containerInsightsObservationsPerMillion);
    const gb = nodes * PRICES.containerInsightsLogGbPerNodeMonth;
    add('Container Insights log ingestion (estimate)', `${gb} GB x $${PRICES.logsIngestionGb}/GB`, gb * PRICES.logsIngestionGb);
  }

  return { lines, total: lines.reduce((sum, l) => sum + l.monthly, 0) };
}

const round4 = (n: number) => Math.round(n * 10000) / 10000;

/** The LaunchTemplateData of the launch template a node group refers to (by Ref), if any. */
function launchTemplateData(template: Template, spec: any): any {
  const ref = spec?.Id?.Ref ?? spec?.Name?.Ref;
  const lt: Resource | undefined = ref ? template.Resources[ref] : undefined;
  return lt?.Properties?.LaunchTemplateData;
}

/**
 * Database Insights of an RDS instance, listed even though it is free: Standard mode with
 * Performance Insights at the default 7-day retention is the free tier ("7 days (the default,
 * free tier)", AWS::RDS::DBInstance PerformanceInsightsRetentionPeriod; Standard mode keeps
 * Performance Insights' pricing, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.Enabling.html).
 * Advanced mode and longer retention are billed per vCPU and are not priced here.
 */
function databaseInsightsLine(p: any, lines: BillLine[]): void {
  const mode = p.DatabaseInsightsMode;
  if (mode === undefined && p.EnablePerformanceInsights !== true) return;
  const retention = Number(p.PerformanceInsightsRetentionPeriod ?? 7);
  if ((mode ?? 'standard') !== 'standard' || retention > 7) {
    throw new Error(`Database Insights ${mode} with ${retention} days of Performance Insights is billed per vCPU: not priced in prices-us-east-1.json`);
  }
  lines.push({ item: 'RDS Database Insights (Standard mode)', quantity: 'Performance Insights, 7 days retention (free tier)', monthly: 0 });
}
