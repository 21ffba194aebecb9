"""A man in the middle between the gateway (and the browser) and the OpenID provider, for the refusal tests: it
forwards every request unchanged, except that a test may have it change the authorization request's nonce or the
token endpoint's answer. Every token it hands over was minted by the real provider."""
import http.client
import http.server
import json
import threading
import urllib.parse


class ProviderProxy:
    """Listens on 127.0.0.1:port and forwards to the provider at 127.0.0.1:upstream_port, keeping the Host header, so
    the provider writes its own URLs (and `iss`) with the proxy's address."""

    def __init__(self, port, upstream_port):
        self.port = port
        self.upstream_port = upstream_port
        self.token_answer = None  # a function of the token endpoint's JSON answer
        self.authorize_query = None  # a function of the authorization request's query (a dict)
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                path = self.path
                split = urllib.parse.urlsplit(path)
                if split.path.endswith("/authorize/") and proxy.authorize_query:
                    query = dict(urllib.parse.parse_qsl(split.query))
                    path = split.path + "?" + urllib.parse.urlencode(proxy.authorize_query(query))
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("content-length", "connection")}
                upstream.request(self.command, path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                if split.path.endswith("/token/") and proxy.token_answer and answer.status == 200:
                    data = json.dumps(proxy.token_answer(json.loads(data))).encode()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self):
        self.token_answer = None
        self.authorize_query = None

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
