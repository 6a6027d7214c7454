"""Load for the AWS API endpoint: one request from CLIENTS keep-alive
connections for SECONDS, each sending its next request when the previous
answer is in.

    python3 api_load.py URL CLIENTS SECONDS
        RDS DescribeDBClusters (Query protocol)
    python3 api_load.py URL CLIENTS SECONDS query|json START END PERIOD
        CloudWatch GetMetricStatistics of ServerlessDatabaseCapacity, Average
        and Maximum, from START to END (epoch seconds) by PERIOD, in the
        Query protocol or in AWS JSON 1.0

The request is signed once by botocore's SigV4 signer (credentials from
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and the same bytes are sent
again and again: a signature stays valid 15 minutes and the endpoint
checks every one, so the server does all its work while the client spends
nothing on signing.  One asyncio loop drives every connection.  Prints
"requests RPS P50_MS P99_MS ERRORS" on one line.
"""
import asyncio
import json
import os
import sys
import time
from urllib.parse import urlencode, urlsplit

import botocore.auth
import botocore.credentials
from botocore.awsrequest import AWSRequest

url, clients, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
kind = sys.argv[4] if len(sys.argv) > 4 else "describe"
parts = urlsplit(url)
service = "rds"
headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
if kind == "describe":
    body = urlencode({"Action": "DescribeDBClusters", "Version": "2014-10-31"}).encode()
else:
    service = "monitoring"
    start, end, period = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    if kind == "json":
        headers = {"Content-Type": "application/x-amz-json-1.0",
                   "X-Amz-Target": "GraniteServiceVersion20100801.GetMetricStatistics",
                   "x-amzn-query-mode": "true"}
        body = json.dumps({"Namespace": "AWS/RDS", "MetricName": "ServerlessDatabaseCapacity",
                           "StartTime": start, "EndTime": end, "Period": period,
                           "Statistics": ["Average", "Maximum"]}).encode()
    else:
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        body = urlencode({"Action": "GetMetricStatistics", "Version": "2010-08-01",
                          "Namespace": "AWS/RDS", "MetricName": "ServerlessDatabaseCapacity",
                          "StartTime": iso(start), "EndTime": iso(end), "Period": period,
                          "Statistics.member.1": "Average",
                          "Statistics.member.2": "Maximum"}).encode()
req = AWSRequest(method="POST", url=url, data=body, headers=headers)
botocore.auth.SigV4Auth(
    botocore.credentials.Credentials(os.environ["AWS_ACCESS_KEY_ID"],
                                     os.environ["AWS_SECRET_ACCESS_KEY"]),
    service, os.environ.get("AWS_DEFAULT_REGION", "us-east-1")).add_auth(req)
head = "POST / HTTP/1.1\r\nHost: %s\r\n" % parts.netloc
for k, v in req.headers.items():
    head += "%s: %s\r\n" % (k, v)
head += "Content-Length: %d\r\n\r\n" % len(body)
wire = head.encode() + body

latencies = []
errors = [0]


async def client(stop):
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    while time.monotonic() < stop:
        t0 = time.monotonic()
        writer.write(wire)
        status = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        latencies.append(time.monotonic() - t0)
        if b" 200 " not in status:
            errors[0] += 1
    writer.close()


async def main():
    stop = time.monotonic() + seconds
    start = time.monotonic()
    await asyncio.gather(*[client(stop) for _ in range(clients)])
    return time.monotonic() - start


elapsed = asyncio.run(main())
latencies.sort()
n = len(latencies)
p50 = latencies[n // 2] * 1000 if n else 0
p99 = latencies[min(n - 1, int(n * 0.99))] * 1000 if n else 0
print("%d %.1f %.2f %.2f %d" % (n, n / elapsed if elapsed else 0, p50, p99, errors[0]))
