"""Requests to the AWS API endpoint that the AWS CLI and SDKs do not make:
many keep-alive connections at once, signatures at other times, hostile
clients.  Requests are signed by botocore's own SigV4 signer with the
credentials of the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).

    python3 probe.py keepalive URL CLIENTS REQUESTS
    python3 probe.py skew URL SECONDS          a request signed SECONDS ago
    python3 probe.py hostile URL
    python3 probe.py notfound URL IDENTIFIER   (boto3) the error's message

Each prints one line per result, "name: value".
"""
import datetime
import json
import os
import socket
import sys
import threading
import time
from urllib.parse import urlencode, urlsplit

import botocore.auth
import botocore.credentials
from botocore.awsrequest import AWSRequest

url = sys.argv[2]
parts = urlsplit(url)
host, port = parts.hostname, parts.port
region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
creds = botocore.credentials.Credentials(os.environ["AWS_ACCESS_KEY_ID"],
                                         os.environ["AWS_SECRET_ACCESS_KEY"])
BODY = urlencode({"Action": "DescribeDBClusters", "Version": "2014-10-31"})


def signed(body=BODY, at=None):
    """Headers of a POST / signed by botocore (at: a datetime, UTC)."""
    req = AWSRequest(method="POST", url=url, data=body.encode(),
                     headers={"Content-Type":
                              "application/x-www-form-urlencoded; charset=utf-8"})
    if at is not None:
        if hasattr(botocore.auth, "get_current_datetime"):
            botocore.auth.get_current_datetime = lambda: at
        else:
            class _Clock(datetime.datetime):
                @classmethod
                def utcnow(cls):
                    return at

            class _Shim:
                datetime = _Clock
            botocore.auth.datetime = _Shim
    botocore.auth.SigV4Auth(creds, "rds", region).add_auth(req)
    return dict(req.headers.items())


def keepalive(clients, requests):
    """clients threads, each with one connection, requests each; all
    connections open at the same time (a barrier after the first)."""
    import http.client

    barrier = threading.Barrier(clients)
    results = []
    lock = threading.Lock()

    def run():
        conn = http.client.HTTPConnection(host, port, timeout=60)
        ok = 0
        socks = set()
        for i in range(requests):
            conn.request("POST", "/", body=BODY, headers=signed())
            resp = conn.getresponse()
            data = resp.read()
            socks.add(id(conn.sock))
            if resp.status == 200 and b"<DBClusterIdentifier>" in data:
                ok += 1
            if i == 0:
                barrier.wait()
        conn.close()
        with lock:
            results.append((ok, len(socks)))

    threads = [threading.Thread(target=run) for _ in range(clients)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("requests ok: %d of %d" % (sum(r[0] for r in results), clients * requests))
    print("connections per client: %d" % max(r[1] for r in results))
    print("seconds: %.1f" % (time.time() - start))


def raw(data, shutdown_write=False, wait=15):
    """Send bytes, read the answer (or the close); the status line's code."""
    s = socket.create_connection((host, port), timeout=wait)
    try:
        s.sendall(data)
        if shutdown_write:
            s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
            if b"</ErrorResponse>" in out or b"Response>\n" in out:
                break
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return "error %s" % e.errno
    finally:
        s.close()
    if not out:
        return "closed"
    line = out.split(b"\r\n", 1)[0].decode("latin-1")
    code = out.split(b"<Code>", 1)[1].split(b"</Code>", 1)[0].decode() if b"<Code>" in out else "-"
    return "%s %s" % (line.split(" ")[1], code)


def head(headers, length=None, chunked=False):
    h = "POST / HTTP/1.1\r\nHost: %s:%d\r\n" % (host, port)
    for k, v in headers.items():
        h += "%s: %s\r\n" % (k, v)
    if chunked:
        h += "Transfer-Encoding: chunked\r\n"
    elif length is not None:
        h += "Content-Length: %d\r\n" % length
    return (h + "\r\n").encode()


def hostile():
    hdrs = signed()
    # a body over 1 MiB, announced
    print("content-length over 1 MiB: " +
          raw(head(hdrs, 2 * 1024 * 1024) + b"x" * 4096))
    # a chunked body that grows past 1 MiB
    s = socket.create_connection((host, port), timeout=15)
    s.sendall(head(hdrs, chunked=True))
    for _ in range(20):
        s.sendall(b"10000\r\n" + b"a" * 65536 + b"\r\n")
    s.sendall(b"0\r\n\r\n")
    out = b""
    while b"</ErrorResponse>" not in out:
        b = s.recv(65536)
        if not b:
            break
        out += b
    s.close()
    print("chunked over 1 MiB: " + (out.split(b" ")[1].decode() if out else "closed"))
    # the two that take 10 s and more run side by side
    slow = {}

    def trickle():
        # a body trickled a byte a second: 408 once it ends
        s = socket.create_connection((host, port), timeout=30)
        s.sendall(head(hdrs, len(BODY)))
        for ch in BODY[:12]:
            time.sleep(1)
            s.sendall(ch.encode())
        s.sendall(BODY[12:].encode())
        out = s.recv(65536)
        s.close()
        slow["trickle"] = out.split(b" ")[1].decode() if out else "closed"

    def half_closed_body():
        # half-closed in the middle of the body: disconnected after 10 s
        slow["half"] = raw(head(hdrs, len(BODY)) + BODY[:5].encode(),
                           shutdown_write=True, wait=25)

    threads = [threading.Thread(target=trickle), threading.Thread(target=half_closed_body)]
    for t in threads:
        t.start()
    # half-closed after a whole request: still answered
    print("half-closed after the request: " +
          raw(head(hdrs, len(BODY)) + BODY.encode(), shutdown_write=True))
    for t in threads:
        t.join()
    print("trickled body: " + slow.get("trickle", "?"))
    print("half-closed in the body: " + slow.get("half", "?"))
    # not HTTP
    print("not HTTP: " + raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 +
                              b"\r\n\r\n", wait=5))
    # a malformed form body (signed as it is)
    bad = "Action=DescribeDBClusters&Version=2014-10-31&X=%zz"
    print("malformed body: " + raw(head(signed(bad), len(bad)) + bad.encode()))
    # no signature
    print("unsigned: " + raw(head({"Content-Type": "application/x-www-form-urlencoded"},
                                  len(BODY)) + BODY.encode()))
    # too many headers
    many = dict(hdrs)
    for i in range(80):
        many["X-Filler-%d" % i] = "x"
    print("80 headers: " + raw(head(many, len(BODY)) + BODY.encode()))
    # a header far over libmicrohttpd's memory limit
    huge = dict(hdrs)
    huge["X-Huge"] = "y" * 100000
    print("100 kB header: " + raw(head(huge, len(BODY)) + BODY.encode()))


def skew(seconds):
    at = datetime.datetime.utcnow() - datetime.timedelta(seconds=seconds)
    if hasattr(botocore.auth, "get_current_datetime"):
        at = at.replace(tzinfo=datetime.timezone.utc)
    hdrs = signed(at=at)
    s = socket.create_connection((host, port), timeout=15)
    s.sendall(head(hdrs, len(BODY)) + BODY.encode())
    out = b""
    while b"</ErrorResponse>" not in out and b"Response>\n" not in out:
        b = s.recv(65536)
        if not b:
            break
        out += b
    s.close()
    status = out.split(b" ")[1].decode()
    code = out.split(b"<Code>", 1)[1].split(b"</Code>", 1)[0].decode() if b"<Code>" in out else "-"
    msg = out.split(b"<Message>", 1)[1].split(b"</Message>", 1)[0].decode() if b"<Message>" in out else "-"
    print("status: " + status)
    print("code: " + code)
    print("message: " + msg)


def notfound(identifier):
    import boto3
    import botocore.exceptions
    rds = boto3.client("rds", endpoint_url=url)
    try:
        rds.describe_db_clusters(DBClusterIdentifier=identifier)
        print("error: none")
    except botocore.exceptions.ClientError as e:
        print("code: " + e.response["Error"]["Code"])
        print("message: " + json.dumps(e.response["Error"]["Message"]))


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "keepalive":
        keepalive(int(sys.argv[3]), int(sys.argv[4]))
    elif what == "hostile":
        hostile()
    elif what == "skew":
        skew(int(sys.argv[3]))
    elif what == "notfound":
        notfound(sys.argv[3])
