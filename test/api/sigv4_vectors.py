"""Requests signed by botocore's own SigV4 signer, for `api_test verify`.

    python3 test/api/sigv4_vectors.py SEED COUNT > vectors

Random access keys, secrets, dates, regions, services, paths, query
strings, headers and bodies; each request signed by
botocore.auth.SigV4Auth at a chosen time, then checked at a time within
15 minutes (expect ok) or outside (expired, future), or tampered with after
signing (a byte of the body, a signed header, the secret: mismatch).  One
line per request; see verify() in api_test.c for the format.
"""
import binascii
import datetime
import random
import sys

import botocore
import botocore.auth
import botocore.credentials
from botocore.awsrequest import AWSRequest

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
count = int(sys.argv[2]) if len(sys.argv) > 2 else 400
rng = random.Random(seed)

# the signer's clock, set for each request
now_box = [datetime.datetime(2020, 1, 1)]
if hasattr(botocore.auth, "get_current_datetime"):
    botocore.auth.get_current_datetime = lambda: now_box[0]
else:
    class _Clock(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return now_box[0]

    class _Shim:
        datetime = _Clock

    botocore.auth.datetime = _Shim


def hx(value):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return binascii.hexlify(value).decode() if value else "-"


def word(alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
LOWER = "abcdefghijklmnopqrstuvwxyz0123456789-"
TEXT = ["ACU", "a<b>&c", "caf\u00e9", "\u2603", "x y", "tab\there", "line\nbreak",
        "quote\"s", "'", "100%", "+plus", "=eq", "&amp"]


def form_body():
    pairs = [("Action", rng.choice(["DescribeDBClusters", "ModifyDBCluster",
                                    "DescribeEvents", "GetMetricStatistics"])),
             ("Version", "2014-10-31")]
    for _ in range(rng.randint(0, 6)):
        pairs.append((word("ABCDEFGHabcdefgh.", 1, 20),
                      "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 4)))))
    from urllib.parse import urlencode
    return urlencode(pairs).encode()


def body():
    kind = rng.randint(0, 3)
    if kind == 0:
        return b""
    if kind == 1:
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 3000)))
    if kind == 2:
        return ('{"Namespace": "AWS/RDS", "MetricName": "%s"}'
                % rng.choice(TEXT).replace('"', "")).encode()
    return form_body()


def query():
    if rng.random() < 0.6:
        return ""
    pairs = []
    for _ in range(rng.randint(1, 5)):
        key = rng.choice(["Action", "a", "b", "Version", "x%2Fy", "z"])
        value = rng.choice(["", "1", "2", "DescribeDBClusters", "%20", "a%2Bb"])
        pairs.append(key + "=" + value)
    return "&".join(pairs)


for i in range(count):
    key_id = rng.choice(["AKIA", "ASIA", ""]) + word(UPPER, 12, 20)
    secret = word(SECRET, 20, 60)
    region = rng.choice(["us-east-1", "eu-west-3", "ap-southeast-2", "local",
                         word(LOWER[:26], 2, 12) + "-" + str(rng.randint(1, 9))])
    service = rng.choice(["rds", "monitoring", word(LOWER[:26], 2, 15)])
    signed_at = datetime.datetime(2000, 1, 1) + datetime.timedelta(
        seconds=rng.randint(0, 36 * 365 * 86400))
    now_box[0] = signed_at
    host = rng.choice(["127.0.0.1", "localhost", "db.example.test"])
    port = rng.choice([None, 4599, 8080, rng.randint(1024, 65535)])
    netloc = host if port is None else "%s:%d" % (host, port)
    path = rng.choice(["/", "", "/a/b", "/a/b/", "/a/./b/../c", "/x%20y", "/~me/"])
    q = query()
    url = "http://" + netloc + path + ("?" + q if q else "")
    headers = {}
    if rng.random() < 0.8:
        headers["Content-Type"] = rng.choice([
            "application/x-www-form-urlencoded; charset=utf-8",
            "application/x-amz-json-1.0"])
    if rng.random() < 0.3:
        headers["X-Amz-Target"] = "GraniteServiceVersion20100801.GetMetricData"
    if rng.random() < 0.3:
        headers["X-Custom"] = rng.choice(["  a   b  ", "x\ty", "plain", "a,b"])
    if rng.random() < 0.3:
        headers["User-Agent"] = "aws-cli/2.9.19 Python/3.11"
    data = body()
    req = AWSRequest(method="POST", url=url, data=data, headers=headers)
    signer = botocore.auth.SigV4Auth(
        botocore.credentials.Credentials(key_id, secret), service, region)
    signer.add_auth(req)
    canonical = signer.canonical_request(req)

    epoch = int((signed_at - datetime.datetime(1970, 1, 1)).total_seconds())
    expect = "ok"
    now = epoch + rng.randint(-900, 900)
    roll = rng.random()
    if roll < 0.08:
        now = epoch + 901 + rng.randint(0, 86400)
        expect = "expired"
    elif roll < 0.16:
        now = epoch - 901 - rng.randint(0, 86400)
        expect = "future"
    elif roll < 0.22 and data:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1:]
        expect = "mismatch"
    elif roll < 0.28:
        secret = secret + "x"
        expect = "mismatch"
    elif roll < 0.34 and "Content-Type" in headers:
        req.headers.replace_header("Content-Type", "text/plain")
        expect = "mismatch"

    wire_path = path if path else "/"
    fields = ["v%d" % i, expect, str(now), hx("POST"), hx(wire_path), hx(q),
              hx(secret), hx(data), hx(canonical)]
    pairs = [("Host", netloc)] + [(k, v) for k, v in req.headers.items()]
    fields.append(str(len(pairs)))
    for k, v in pairs:
        fields += [hx(k), hx(v)]
    print(" ".join(fields))
sys.stderr.write("signed %d requests with botocore %s\n" % (count, botocore.__version__))
