// CloudWatch through the JavaScript SDK v3 (@aws-sdk/client-cloudwatch),
// which sends AWS JSON 1.0; only endpoint differs from a call to AWS.
//
//   NODE_PATH=DIR/node_modules node cloudwatch_client.cjs ENDPOINT_URL statistics METRIC CLUSTER START END PERIOD
//   NODE_PATH=DIR/node_modules node cloudwatch_client.cjs ENDPOINT_URL alarms
//   NODE_PATH=DIR/node_modules node cloudwatch_client.cjs ENDPOINT_URL put NAME
//   NODE_PATH=DIR/node_modules node cloudwatch_client.cjs ENDPOINT_URL delete NAME
const cw = require("@aws-sdk/client-cloudwatch");

async function main() {
  const [endpoint, what, ...args] = process.argv.slice(2);
  const client = new cw.CloudWatchClient({ endpoint, region: process.env.AWS_DEFAULT_REGION || "us-east-1" });
  let protocol = "?";
  client.middlewareStack.add((next) => async (a) => {
    protocol = a.request.headers["content-type"];
    return next(a);
  }, { step: "finalizeRequest" });
  if (what === "statistics") {
    const [metric, cluster, start, end, period] = args;
    const r = await client.send(new cw.GetMetricStatisticsCommand({
      Namespace: "AWS/RDS", MetricName: metric,
      Dimensions: [{ Name: "DBClusterIdentifier", Value: cluster }],
      StartTime: new Date(Number(start) * 1000), EndTime: new Date(Number(end) * 1000),
      Period: Number(period), Statistics: ["Average", "Maximum"],
    }));
    const points = r.Datapoints.map((p) => [p.Timestamp.getTime() / 1000, p.Average, p.Maximum])
      .sort((x, y) => x[0] - y[0]);
    console.log(JSON.stringify(points));
  } else if (what === "alarms") {
    const r = await client.send(new cw.DescribeAlarmsCommand({}));
    for (const a of r.MetricAlarms) console.log(`${a.AlarmName} ${a.StateValue}`);
  } else if (what === "put") {
    await client.send(new cw.PutMetricAlarmCommand({
      AlarmName: args[0], MetricName: "DatabaseConnections", Namespace: "AWS/RDS",
      Statistic: "Maximum", Period: 10, EvaluationPeriods: 1, Threshold: 1000,
      ComparisonOperator: "GreaterThanThreshold",
    }));
    console.log("put");
  } else if (what === "delete") {
    await client.send(new cw.DeleteAlarmsCommand({ AlarmNames: [args[0]] }));
    console.log("deleted");
  }
  console.log(`protocol: ${protocol}`);
}

main().catch((e) => {
  console.log(`error: ${e.name} ${e.$metadata && e.$metadata.httpStatusCode}: ${e.message}`);
  process.exit(1);
});
