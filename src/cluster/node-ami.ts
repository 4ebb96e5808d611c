/**
 * Which Amazon EKS optimized AMI release the managed node group runs (`cluster.amiRelease`).
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PropError, validatePattern } from '../private/validate';

/**
 * The AMI release of the nodes: the latest EKS optimized Amazon Linux 2023 release, read on every
 * deploy, or one pinned release. A new release rolls the nodes (one at a time, drained first).
 */
export class NodeAmiRelease {
  /**
   * Follow the latest recommended AMI release of the cluster's Kubernetes version: every deploy
   * reads it from the EKS public SSM parameter, and a deploy after a new AMI release (EKS publishes
   * them every one to two weeks, with the security fixes of Amazon Linux and Kubernetes patch
   * releases) rolls every node once.
   */
  public static latest(): NodeAmiRelease {
    return new NodeAmiRelease(undefined);
  }

  /**
   * One AMI release, e.g. `1.36.0-20261120` (the release_version of
   * `aws ssm get-parameter --name /aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/release_version`).
   * The nodes change only when you change it (and its Kubernetes minor version must be the cluster's).
   */
  public static pinned(releaseVersion: string): NodeAmiRelease {
    return new NodeAmiRelease(releaseVersion);
  }

  /** The pinned release; undefined when the node group follows the latest release. */
  public readonly releaseVersion?: string;

  private constructor(releaseVersion: string | undefined) {
    this.releaseVersion = releaseVersion;
  }
}

/**
 * The node group's `ReleaseVersion`: the pinned release (checked against the Kubernetes version),
 * or the latest one as a CloudFormation parameter of type AWS::SSM::Parameter::Value<String>
 * (`ssm.StringParameter.valueForStringParameter`). Not an `{{resolve:ssm:...}}` dynamic
 * reference: CloudFormation does not re-read those on an update unless the reference itself
 * changes (https://aws.amazon.com/premiumsupport/knowledge-center/cloudformation-stack-update-secrets/,
 * aws-cloudformation/cloudformation-coverage-roadmap#844), whereas for SSM parameter types
 * "CloudFormation always fetches the latest values from Parameter Store when it updates stacks"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/systems-manager-parameter-types.html).
 * The parameter is the public one EKS publishes per Kubernetes version and AMI type
 * (https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html, sub-parameter
 * release_version next to image_id; the same path as terraform-aws-modules/terraform-aws-eks
 * modules/eks-managed-node-group, AL2023_ARM_64_STANDARD / AL2023_x86_64_STANDARD).
 */
export function nodeReleaseVersion(
  scope: Construct, release: NodeAmiRelease, kubernetesVersion: string, architecture: ec2.InstanceArchitecture,
): string {
  if (release.releaseVersion !== undefined) {
    validatePattern('amiRelease', release.releaseVersion, /^\d+\.\d+\.\d+-\d{8}$/,
      `must be an EKS optimized AMI release version such as ${kubernetesVersion}.0-20261120 (NodeAmiRelease.pinned)`);
    if (!release.releaseVersion.startsWith(`${kubernetesVersion}.`)) {
      throw new PropError(`Invalid amiRelease '${release.releaseVersion}': the release must be one of Kubernetes ${kubernetesVersion} `
        + `(the cluster's version), e.g. ${kubernetesVersion}.0-20261120; change both in one deploy.`);
    }
    return release.releaseVersion;
  }
  const arch = architecture === ec2.InstanceArchitecture.ARM_64 ? 'arm64' : 'x86_64';
  return ssm.StringParameter.valueForStringParameter(Stack.of(scope),
    `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/standard/recommended/release_version`);
}
