"""CloudWatch calls through boto3, as a dashboard or a script makes them;
only endpoint_url differs from a call to AWS.  Whichever protocol the
installed botocore speaks to CloudWatch (Query before 1.42.7, AWS JSON 1.0
since) is the one that goes on the wire.

    python3 cloudwatch.py ENDPOINT_URL statistics CLUSTER START END PERIOD
        every metric of ListMetrics, Average and Maximum, one JSON object
    python3 cloudwatch.py ENDPOINT_URL alarms
        the alarms: one "NAME STATE" line each
    python3 cloudwatch.py ENDPOINT_URL protocol
        the protocol botocore uses for CloudWatch
"""
import datetime
import json
import sys

import boto3

url, what = sys.argv[1], sys.argv[2]
cw = boto3.client("cloudwatch", endpoint_url=url)

if what == "protocol":
    # newer botocore lists several and resolves the one it sends
    model = cw.meta.service_model
    print(getattr(model, "resolved_protocol", None) or model.protocol)
elif what == "statistics":
    cluster = sys.argv[3]
    start = datetime.datetime.fromtimestamp(float(sys.argv[4]), datetime.timezone.utc)
    end = datetime.datetime.fromtimestamp(float(sys.argv[5]), datetime.timezone.utc)
    period = int(sys.argv[6])
    metrics = cw.list_metrics(Namespace="AWS/RDS",
                              Dimensions=[{"Name": "DBClusterIdentifier", "Value": cluster}])
    out = {}
    for m in metrics["Metrics"]:
        if len(m["Dimensions"]) != 1:
            continue
        r = cw.get_metric_statistics(Namespace="AWS/RDS", MetricName=m["MetricName"],
                                     Dimensions=m["Dimensions"], StartTime=start,
                                     EndTime=end, Period=period,
                                     Statistics=["Average", "Maximum"])
        out[m["MetricName"]] = sorted(
            [int(p["Timestamp"].timestamp()), p["Average"], p["Maximum"]]
            for p in r["Datapoints"])
    print(json.dumps(out, sort_keys=True))
elif what == "alarms":
    for a in cw.describe_alarms()["MetricAlarms"]:
        print("%s %s" % (a["AlarmName"], a["StateValue"]))
