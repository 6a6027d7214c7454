"""Pre-warm an Aurora Serverless v2 cluster for business hours.

The scheduled function teams run against AWS: at the start of the day
raise the minimum capacity to 4 ACUs so that the first users find a warm
instance, at the end lower it back to 0.5.  Unchanged but for endpoint_url.

    python3 prewarm.py start|end CLUSTER_ID ENDPOINT_URL
"""
import sys

import boto3


def prewarm(phase, cluster_id, endpoint_url):
    rds = boto3.client("rds", endpoint_url=endpoint_url)
    cluster = rds.describe_db_clusters(DBClusterIdentifier=cluster_id)["DBClusters"][0]
    scaling = cluster["ServerlessV2ScalingConfiguration"]
    minimum = 4 if phase == "start" else 0.5
    reply = rds.modify_db_cluster(
        DBClusterIdentifier=cluster_id,
        ServerlessV2ScalingConfiguration={
            "MinCapacity": minimum,
            "MaxCapacity": scaling["MaxCapacity"],
        },
        ApplyImmediately=True,
    )
    now = reply["DBCluster"]["ServerlessV2ScalingConfiguration"]
    print("%s: MinCapacity %g MaxCapacity %g" % (phase, now["MinCapacity"], now["MaxCapacity"]))


if __name__ == "__main__":
    prewarm(sys.argv[1], sys.argv[2], sys.argv[3])
