/**
 * Amazon EKS clusters: the aws provider (bridged from Terraform's aws provider, so Terraform plans map
 * onto it) and aws-native (CloudFormation's AWS::EKS::Cluster ResourcesVpcConfig; its package is not
 * installed, so its defaults cite the EKS documentation).
 */
import { defineTarget, pulumiShape } from "./define";

const EKS_DOC = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html";

export const eks = defineTarget({
  id: "eks",
  title: "Amazon EKS cluster",
  cluster: "EKS",
  fields: {
    endpointPublicAccess: { type: "boolean", description: "The public API server endpoint is enabled." },
    endpointPrivateAccess: { type: "boolean", description: "The private (VPC) API server endpoint is enabled." },
    publicAccessCidrs: { type: "stringArray", description: "CIDRs allowed to reach the public endpoint." },
  },
  shapes: [
    pulumiShape({
      id: "aws",
      provider: "aws",
      pulumi: { full: "aws:eks/cluster:Cluster", short: "aws:eks:Cluster" },
      declaredBy: {
        "": { file: "aws/eks/cluster.d.ts", name: "ClusterArgs" },
        vpcConfig: { file: "aws/types/input.d.ts", name: "ClusterVpcConfig" },
      },
      // aws_eks_cluster (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster):
      // vpc_config { endpoint_private_access, endpoint_public_access, public_access_cidrs }.
      terraform: { type: "aws_eks_cluster", singleBlocks: ["vpc_config"] },
      fields: {
        endpointPublicAccess: { path: ["vpcConfig", "endpointPublicAccess"], default: true, defaultSource: '@pulumi/aws ClusterVpcConfig.endpointPublicAccess: "Default is `true`"' },
        endpointPrivateAccess: { path: ["vpcConfig", "endpointPrivateAccess"], default: false, defaultSource: '@pulumi/aws ClusterVpcConfig.endpointPrivateAccess: "Default is `false`"' },
        publicAccessCidrs: { path: ["vpcConfig", "publicAccessCidrs"], default: ["0.0.0.0/0"], defaultSource: '@pulumi/aws ClusterVpcConfig.publicAccessCidrs: "EKS defaults this to a list with `0.0.0.0/0`"' },
      },
    }),
    pulumiShape({
      id: "aws-native",
      provider: "aws-native",
      pulumi: { full: "aws-native:eks:Cluster" },
      fields: {
        endpointPublicAccess: { path: ["resourcesVpcConfig", "endpointPublicAccess"], default: true, defaultSource: EKS_DOC },
        endpointPrivateAccess: { path: ["resourcesVpcConfig", "endpointPrivateAccess"], default: false, defaultSource: EKS_DOC },
        publicAccessCidrs: { path: ["resourcesVpcConfig", "publicAccessCidrs"], default: ["0.0.0.0/0"], defaultSource: EKS_DOC },
      },
    }),
  ],
});
