/** The parts of a ScopeEnvironment as the wiring, the outputs and the ConfigMap read them. */
import { ScopeCluster } from '../cluster';
import { UsersDatabase } from '../database';
import { EnvironmentDns } from '../dns';
import { EnvironmentConfig, GitOps } from '../gitops';
import { ScopeServiceUsers } from '../iam';
import { EnvironmentMonitoring } from '../monitoring';
import { ControlQueues } from '../queue';
import { ReportStore } from '../storage';

/** The parts, once created (a ScopeEnvironment is one). */
export interface EnvironmentParts {
  readonly envName: string;
  readonly cluster: ScopeCluster;
  readonly database: UsersDatabase;
  readonly reports: ReportStore;
  readonly queues: ControlQueues;
  readonly users: ScopeServiceUsers;
  readonly dns?: EnvironmentDns;
  readonly monitoring?: EnvironmentMonitoring;
  readonly environmentConfig?: EnvironmentConfig;
  readonly gitOps?: GitOps;
}
