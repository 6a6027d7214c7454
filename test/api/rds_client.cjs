// The JavaScript SDK v3 (@aws-sdk/client-rds) against the endpoint, as a
// script would call it; only endpoint differs from a call to AWS.
//
//   NODE_PATH=DIR/node_modules node rds_client.cjs ENDPOINT_URL CLUSTER_ID MIN MAX [SECONDS]
//
// Prints the scaling configuration before and after ModifyDBCluster (with
// SecondsUntilAutoPause when SECONDS is given), and the DB instances, one
// "name: value" line each.
const {
  RDSClient,
  DescribeDBClustersCommand,
  ModifyDBClusterCommand,
  DescribeDBInstancesCommand,
} = require("@aws-sdk/client-rds");

async function main() {
  const [endpoint, cluster, min, max, seconds] = process.argv.slice(2);
  const rds = new RDSClient({ endpoint, region: process.env.AWS_DEFAULT_REGION || "us-east-1" });
  const before = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster }));
  const s = before.DBClusters[0].ServerlessV2ScalingConfiguration;
  console.log(`before: ${s.MinCapacity}-${s.MaxCapacity}`);
  const after = await rds.send(new ModifyDBClusterCommand({
    DBClusterIdentifier: cluster,
    ServerlessV2ScalingConfiguration: {
      MinCapacity: Number(min),
      MaxCapacity: Number(max),
      ...(seconds === undefined ? {} : { SecondsUntilAutoPause: Number(seconds) }),
    },
    ApplyImmediately: true,
  }));
  const a = after.DBCluster.ServerlessV2ScalingConfiguration;
  console.log(`after: ${a.MinCapacity}-${a.MaxCapacity}` +
    (seconds === undefined ? "" : ` ${a.SecondsUntilAutoPause}`));
  const inst = await rds.send(new DescribeDBInstancesCommand({
    Filters: [{ Name: "db-cluster-id", Values: [cluster] }],
  }));
  console.log(`instances: ${inst.DBInstances.map((i) => `${i.DBInstanceIdentifier} ${i.DBInstanceClass} ${i.DBInstanceStatus}`).join(", ")}`);
  try {
    await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "no-such-cluster" }));
    console.log("missing: found");
  } catch (e) {
    console.log(`missing: ${e.name} ${e.$metadata.httpStatusCode}`);
  }
}

main().catch((e) => {
  console.log(`error: ${e.name}: ${e.message}`);
  process.exit(1);
});
