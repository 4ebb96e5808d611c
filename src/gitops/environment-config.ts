import { RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { validateNamespace, validateServiceAccountName } from '../cluster/pod-identity';
import { validatePattern } from '../private/validate';

/** Props of EnvironmentConfig. */
export interface EnvironmentConfigProps {
  /** The cluster the objects are created in. */
  readonly cluster: eks.ICluster;

  /**
   * The application's namespace: created (and kept when this construct is removed) unless it is `default`.
   * @default 'scope'
   */
  readonly namespace?: string;

  /**
   * The ConfigMap's entries. Keys are environment variable names (letters, digits and `_`, not
   * starting with a digit) so pods can take them all with `envFrom`. Non-secret values only.
   */
  readonly values: { [key: string]: string };

  /**
   * Service accounts to create in `namespace` (e.g. the ones EKS Pod Identity roles are bound to).
   * @default - none
   */
  readonly serviceAccounts?: string[];

  /**
   * Name of the ConfigMap.
   * @default 'scope-environment'
   */
  readonly configMapName?: string;

  /**
   * The manifest that already creates `namespace`, e.g. `FrontendEndpoint.namespaceManifest` when
   * the frontend Service runs in the application's namespace. Every Kubernetes object has one owner
   * (two `kubectl apply`s of one namespace would undo each other's labels), so EnvironmentConfig
   * then creates no Namespace of its own and its objects wait for this one.
   * @default - EnvironmentConfig creates `namespace` (unless it is `default`)
   */
  readonly namespaceManifest?: eks.KubernetesManifest;
}

/**
 * What the application needs to know about its environment, in the cluster, so its manifests in
 * git reference it by fixed names instead of copying values: the ConfigMap `scope-environment`
 * (table, bucket, queue prefix, region, database endpoint, secret ARNs; no secret values) and the
 * service accounts that EKS Pod Identity binds the service roles to, in the application's namespace.
 */
export class EnvironmentConfig extends Construct {
  /** Default name of the ConfigMap. */
  public static readonly DEFAULT_CONFIG_MAP_NAME = 'scope-environment';

  /** The application's namespace. */
  public readonly namespace: string;
  /** Name of the ConfigMap. */
  public readonly configMapName: string;
  /** Names of the service accounts created. */
  public readonly serviceAccounts: string[];
  /** The ConfigMap and service accounts. */
  public readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: EnvironmentConfigProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'scope';
    this.configMapName = props.configMapName ?? EnvironmentConfig.DEFAULT_CONFIG_MAP_NAME;
    this.serviceAccounts = props.serviceAccounts ?? [];
    validateNamespace('namespace', this.namespace);
    validateServiceAccountName('configMapName', this.configMapName);
    this.serviceAccounts.forEach((name, i) => validateServiceAccountName(`serviceAccounts[${i}]`, name));
    for (const key of Object.keys(props.values)) {
      validatePattern('values', key, /^[A-Za-z_][A-Za-z0-9_]*$/,
        'keys must be environment variable names: letters, digits and _, not starting with a digit');
    }

    const labels = { 'app.kubernetes.io/part-of': 'cdk-scope-environment' };
    this.manifest = new eks.KubernetesManifest(this, 'Resource', {
      cluster: props.cluster,
      // Adopt a ConfigMap or service accounts made by hand before (kubectl apply instead of create).
      overwrite: true,
      manifest: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.configMapName, namespace: this.namespace, labels }, data: props.values },
        ...this.serviceAccounts.map(name => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: this.namespace, labels } })),
      ],
    });

    if (props.namespaceManifest) {
      // An earlier release applied this namespace here too (construct `Namespace`, Retain): removing
      // that resource leaves the namespace and everything in it in the cluster.
      this.manifest.node.addDependency(props.namespaceManifest);
    } else if (this.namespace !== 'default') {
      this.manifest.node.addDependency(new eks.KubernetesManifest(this, 'Namespace', {
        cluster: props.cluster,
        manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } }],
        overwrite: true,
        // The application lives in this namespace: removing the ConfigMap must not delete it.
        removalPolicy: RemovalPolicy.RETAIN,
      }));
    }
  }
}
