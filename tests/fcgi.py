"""fcgi.py — a small FastCGI client for tests (RELIABILITY §13.1).

Sends one request straight to a worker's socket, bypassing nginx, so that
tests can check what the application enforces on its own (T09, T10) and
send what nginx never would. Python standard library only.

    from fcgi import FcgiClient

    c = FcgiClient("/tmp/bo-test/run/backops.sock")
    status, headers, body = c.request(
        "POST", "/login", headers={"Content-Type":
        "application/x-www-form-urlencoded"}, body=b"email=a%40b&pw=x")

request() returns an FcgiResponse: a 3-tuple (status, headers, body) that
also carries .stderr, .app_status, .protocol_status, .request_id and the
helpers .header(name) / .headers_all(name).

Parameters are set the way nginx's stock fastcgi_params sets them:

    REQUEST_METHOD, REQUEST_URI (path?query), SCRIPT_NAME and DOCUMENT_URI
    (path), QUERY_STRING, CONTENT_TYPE and CONTENT_LENGTH (always present,
    empty when absent, like nginx), SERVER_PROTOCOL HTTP/1.1,
    GATEWAY_INTERFACE, REQUEST_SCHEME http, SERVER_NAME, SERVER_PORT,
    REMOTE_ADDR 127.0.0.1, REMOTE_PORT, REQUEST_ID (32 random hex digits,
    as nginx's $request_id). HTTPS is not set.

    headers      dict or list of (name, value): each becomes HTTP_<NAME>
                 (upper case, '-' -> '_'); Content-Type also sets
                 CONTENT_TYPE, Content-Length also sets CONTENT_LENGTH
                 (unless content_length says otherwise). Repeated names in
                 a list are joined with ", " ("; " for Cookie), as nginx
                 does.
    body         bytes (str is encoded as UTF-8), sent as STDIN.
    content_length
                 None: len(body) when there is a body or the method is
                 POST/PUT/PATCH, else empty (what nginx passes for a GET);
                 an int or str: sent as given, whatever the body is;
                 False: no CONTENT_LENGTH parameter at all.
    params       extra raw FastCGI parameters, applied last: a value of
                 None removes a parameter, e.g. {"REQUEST_METHOD": None}.
                 Names and values may be str or bytes (bytes for invalid
                 UTF-8).

The client sends FCGI_BEGIN_REQUEST (responder, no keep-conn), the
parameters as a byte stream cut into PARAMS records of at most 65535
bytes (a pair may straddle two records, which the protocol allows), an
empty PARAMS record, STDIN records of at most 65535 bytes and an empty
STDIN record; it reads STDOUT, STDERR and END_REQUEST. Sending and
receiving are interleaved, so a worker that answers early (413 after
reading part of a large body) and closes is handled: the rest of the
body is dropped and the answer is returned.

A connection that ends without END_REQUEST (a crashed or killed worker)
raises FcgiError, whose .stdout and .stderr hold what arrived.
"""

import os
import selectors
import socket
import struct
import time

__all__ = ["FcgiClient", "FcgiResponse", "FcgiError"]

FCGI_VERSION_1 = 1

FCGI_BEGIN_REQUEST = 1
FCGI_ABORT_REQUEST = 2
FCGI_END_REQUEST = 3
FCGI_PARAMS = 4
FCGI_STDIN = 5
FCGI_STDOUT = 6
FCGI_STDERR = 7
FCGI_DATA = 8
FCGI_GET_VALUES = 9
FCGI_GET_VALUES_RESULT = 10
FCGI_UNKNOWN_TYPE = 11

FCGI_RESPONDER = 1

FCGI_REQUEST_COMPLETE = 0

MAX_CONTENT = 65535
REQUEST_ID = 1          # one request per connection

_HEADER = struct.Struct("!BBHHBx")
_BODY_METHODS = ("POST", "PUT", "PATCH")


class FcgiError(Exception):
    """Protocol error, or the connection ended before END_REQUEST."""

    def __init__(self, msg, stdout=b"", stderr=b""):
        super().__init__(msg)
        self.stdout = stdout
        self.stderr = stderr


class FcgiResponse(tuple):
    """(status, headers, body) with the rest of the exchange attached."""

    def __new__(cls, status, headers, body, stderr=b"", app_status=0,
                protocol_status=FCGI_REQUEST_COMPLETE, request_id=""):
        self = super().__new__(cls, (status, headers, body))
        self.stderr = stderr
        self.app_status = app_status
        self.protocol_status = protocol_status
        self.request_id = request_id
        return self

    @property
    def status(self):
        return self[0]

    @property
    def headers(self):
        return self[1]

    @property
    def body(self):
        return self[2]

    def headers_all(self, name):
        """Every value of header `name` (case-insensitive), in order."""
        name = name.lower()
        return [v for (n, v) in self[1] if n.lower() == name]

    def header(self, name, default=None):
        """The first value of header `name`, or default."""
        vals = self.headers_all(name)
        return vals[0] if vals else default


def _b(s):
    if isinstance(s, (bytes, bytearray)):
        return bytes(s)
    return str(s).encode("utf-8")


def _len(n):
    # FastCGI 1.0 §3.4: lengths below 128 take one byte, others four
    # with the top bit set.
    if n < 128:
        return bytes((n,))
    if n > 0x7FFFFFFF:
        raise ValueError("FastCGI name or value too long")
    return struct.pack("!I", n | 0x80000000)


def encode_params(pairs):
    """The FastCGI name-value stream for a list of (name, value)."""
    out = bytearray()
    for name, value in pairs:
        name, value = _b(name), _b(value)
        out += _len(len(name)) + _len(len(value)) + name + value
    return bytes(out)


def record(rtype, content=b"", request_id=REQUEST_ID):
    """One record, padded to a multiple of 8 bytes as the spec advises."""
    if len(content) > MAX_CONTENT:
        raise ValueError("record content over 65535 bytes")
    pad = -len(content) % 8
    return (_HEADER.pack(FCGI_VERSION_1, rtype, request_id, len(content),
                         pad) + content + b"\0" * pad)


def stream(rtype, data):
    """data as records of at most 65535 bytes, then the empty record that
    ends the stream."""
    out = bytearray()
    for i in range(0, len(data), MAX_CONTENT):
        out += record(rtype, data[i:i + MAX_CONTENT])
    out += record(rtype)
    return bytes(out)


def parse_cgi(stdout):
    """(status, headers, body) from CGI-style output: "Status: 200 OK",
    header lines, an empty line, the body. No Status means 200, or 302
    with a Location (RFC 3875 §6.2)."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        i = stdout.find(sep)
        if i >= 0:
            head, body = stdout[:i], stdout[i + len(sep):]
            break
    else:
        raise FcgiError("response without end of headers", stdout)
    status, headers = None, []
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if not line:
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            raise FcgiError("bad response header line %r" % line, stdout)
        name = name.strip().decode("latin-1")
        value = value.strip().decode("latin-1")
        if name.lower() == "status":
            try:
                status = int(value.split()[0])
            except (ValueError, IndexError):
                raise FcgiError("bad Status %r" % value, stdout)
        else:
            headers.append((name, value))
    if status is None:
        has_location = any(n.lower() == "location" for n, _ in headers)
        status = 302 if has_location else 200
    return status, headers, body


class FcgiClient:
    """One FastCGI server, reached at a Unix socket path (or a
    (host, port) tuple for TCP). Each request uses its own connection."""

    def __init__(self, socket_path, timeout=30.0, remote_addr="127.0.0.1",
                 server_name="127.0.0.1", server_port=18080):
        self.address = socket_path
        self.timeout = timeout
        self.remote_addr = remote_addr
        self.server_name = server_name
        self.server_port = server_port

    def connect(self):
        if isinstance(self.address, tuple):
            s = socket.create_connection(self.address, self.timeout)
        else:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(self.timeout)
            s.connect(self.address)
        return s

    def build_params(self, method, path, query="", headers=None, body=b"",
                     params=None, content_length=None):
        """The ordered parameter list request() would send."""
        path, query = _b(path), _b(query)
        uri = path + (b"?" + query if query else b"")
        hdrs = _merge_headers(headers)
        p = {
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_SOFTWARE": "fcgi.py",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REQUEST_SCHEME": "http",
            "SERVER_NAME": self.server_name,
            "SERVER_PORT": str(self.server_port),
            "REMOTE_ADDR": self.remote_addr,
            "REMOTE_PORT": "40000",
            "REQUEST_METHOD": method,
            "REQUEST_URI": uri,
            "SCRIPT_NAME": path,
            "DOCUMENT_URI": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": b"",
            "CONTENT_LENGTH": b"",
            "REQUEST_ID": os.urandom(16).hex(),
        }
        declared = None
        for name, value in hdrs:
            key = "HTTP_" + name.upper().replace("-", "_")
            p[key] = value
            if key == "HTTP_CONTENT_TYPE":
                p["CONTENT_TYPE"] = value
            elif key == "HTTP_CONTENT_LENGTH":
                declared = value
        if content_length is False:
            del p["CONTENT_LENGTH"]
        elif content_length is not None:
            p["CONTENT_LENGTH"] = str(content_length)
        elif declared is not None:
            p["CONTENT_LENGTH"] = declared
        elif body or method.upper() in _BODY_METHODS:
            p["CONTENT_LENGTH"] = str(len(body))
        for name, value in (params or {}).items():
            name = name.decode("latin-1") if isinstance(name, bytes) \
                else name
            if value is None:
                p.pop(name, None)
            else:
                p[name] = value
        return list(p.items())

    def request(self, method, path, query="", headers=None, body=b"",
                params=None, content_length=None, timeout=None):
        """Send one request and return its FcgiResponse."""
        body = _b(body)
        pairs = self.build_params(method, path, query, headers, body,
                                  params, content_length)
        request_id = dict(pairs).get("REQUEST_ID", "")
        if isinstance(request_id, bytes):
            request_id = request_id.decode("latin-1")
        begin = struct.pack("!HB5x", FCGI_RESPONDER, 0)    # no keep-conn
        out = (record(FCGI_BEGIN_REQUEST, begin) +
               stream(FCGI_PARAMS, encode_params(pairs)) +
               stream(FCGI_STDIN, body))
        sock = self.connect()
        try:
            stdout, stderr, app, proto = _exchange(
                sock, out, self.timeout if timeout is None else timeout)
        finally:
            sock.close()
        status, hdrs, rbody = parse_cgi(stdout)
        return FcgiResponse(status, hdrs, rbody, stderr, app, proto,
                            request_id)

    def get(self, path, query="", **kw):
        return self.request("GET", path, query, **kw)

    def post(self, path, body=b"", ctype=None, **kw):
        headers = dict(kw.pop("headers", None) or {})
        if ctype is not None:
            headers["Content-Type"] = ctype
        return self.request("POST", path, body=body, headers=headers, **kw)


def _merge_headers(headers):
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, dict) else headers
    merged, order = {}, []
    for name, value in items:
        key = name.lower()
        value = _b(value)
        if key in merged:
            sep = b"; " if key == "cookie" else b", "
            merged[key] = (merged[key][0], merged[key][1] + sep + value)
        else:
            merged[key] = (name, value)
            order.append(key)
    return [merged[k] for k in order]


def _exchange(sock, out, timeout):
    """Write `out` and read records until END_REQUEST, both at once so
    that neither side can block the other. Returns (stdout, stderr,
    app_status, protocol_status)."""
    deadline = time.monotonic() + timeout
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
    view, sent = memoryview(out), 0
    inbuf = bytearray()
    stdout, stderr = bytearray(), bytearray()
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FcgiError("timed out after %.1f s" % timeout,
                                bytes(stdout), bytes(stderr))
            for _key, ev in sel.select(left):
                if ev & selectors.EVENT_WRITE and sent < len(view):
                    try:
                        sent += sock.send(view[sent:sent + 262144])
                    except BlockingIOError:
                        pass
                    except (BrokenPipeError, ConnectionResetError):
                        # The worker answered early and closed: what it
                        # wrote is still waiting to be read.
                        sent = len(view)
                    if sent >= len(view):
                        sel.modify(sock, selectors.EVENT_READ)
                if ev & selectors.EVENT_READ:
                    try:
                        chunk = sock.recv(262144)
                    except BlockingIOError:
                        continue
                    except ConnectionResetError:
                        chunk = b""
                    if not chunk:
                        raise FcgiError("connection closed before "
                                        "END_REQUEST", bytes(stdout),
                                        bytes(stderr))
                    inbuf += chunk
                    done = _records(inbuf, stdout, stderr)
                    if done is not None:
                        return bytes(stdout), bytes(stderr), done[0], \
                            done[1]
    finally:
        sel.close()


def _records(inbuf, stdout, stderr):
    """Consume the complete records in inbuf; (app_status,
    protocol_status) once END_REQUEST has arrived, else None."""
    while len(inbuf) >= _HEADER.size:
        ver, rtype, rid, clen, plen = _HEADER.unpack_from(inbuf)
        if ver != FCGI_VERSION_1:
            raise FcgiError("bad record version %d" % ver, bytes(stdout),
                            bytes(stderr))
        total = _HEADER.size + clen + plen
        if len(inbuf) < total:
            return None
        content = bytes(inbuf[_HEADER.size:_HEADER.size + clen])
        del inbuf[:total]
        if rtype in (FCGI_GET_VALUES_RESULT, FCGI_UNKNOWN_TYPE):
            continue            # management records (request id 0)
        if rid != REQUEST_ID:
            raise FcgiError("record for request id %d" % rid,
                            bytes(stdout), bytes(stderr))
        if rtype == FCGI_STDOUT:
            stdout += content
        elif rtype == FCGI_STDERR:
            stderr += content
        elif rtype == FCGI_END_REQUEST:
            if clen < 5:
                raise FcgiError("short END_REQUEST", bytes(stdout),
                                bytes(stderr))
            app, proto = struct.unpack_from("!IB", content)
            return app, proto
        else:
            raise FcgiError("unexpected record type %d" % rtype,
                            bytes(stdout), bytes(stderr))
    return None
