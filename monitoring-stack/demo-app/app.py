"""A stand-in AI inference API for Warden's monitoring stack.

Python standard library only. One image, three roles (the first argument):

  serve    the inference API on $PORT (default 8000): POST /predict, GET /health,
           GET /metrics, and chaos controls to degrade it on demand
  worker   an idle inference worker (GET /health, GET /metrics) that Warden's
           scale-inference-workers runbook can clone
  loadgen  calls POST /predict on $LOADGEN_TARGET a few times a second

Metrics (Prometheus text format 0.0.4), the contract the alert rules rely on:

  ai_inference_requests_total{route,code}       counter, requests to the inference routes
  ai_inference_request_duration_seconds{route}  histogram of their handling time
  ai_model_accuracy                             gauge, rolling accuracy of the model
  ai_data_drift_psi                             gauge, population stability index of the inputs
  ai_db_port_up{db}                             gauge 1/0, the database's TCP port answers
  ai_liveness_ok                                gauge 1/0, what GET /health reports

Chaos (no authentication: publish the port on loopback only):

  POST /chaos        {"error_rate":0.2,"latency_ms":800,"accuracy":0.6,"drift":0.35,"healthy":false}
                     any subset; answers the whole state
  POST /chaos/reset  back to the defaults (those of the image: AI_APP_ERROR_RATE, ...)
  GET  /chaos        the current state
"""

import http.server
import json
import logging
import math
import os
import random
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger("ai-app")

PREDICT_ROUTE = "/predict"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
MAX_BODY = 64 * 1024
MAX_LATENCY_MS = 60_000


def _env_float(name, default):
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


class Chaos:
    """How degraded the API should be; changed through /chaos, read on every request."""

    FIELDS = ("error_rate", "latency_ms", "accuracy", "drift", "healthy")

    def __init__(self, error_rate=0.0, latency_ms=0, accuracy=0.93, drift=0.04, healthy=True):
        self._defaults = {
            "error_rate": error_rate,
            "latency_ms": latency_ms,
            "accuracy": accuracy,
            "drift": drift,
            "healthy": healthy,
        }
        self._lock = threading.Lock()
        self._state = dict(self._defaults)

    @classmethod
    def from_environment(cls):
        """Defaults baked into the image, so a "bad release" can be an image of its own."""
        return cls(
            error_rate=_env_float("AI_APP_ERROR_RATE", 0.0),
            latency_ms=int(_env_float("AI_APP_LATENCY_MS", 0)),
            accuracy=_env_float("AI_APP_ACCURACY", 0.93),
            drift=_env_float("AI_APP_DRIFT", 0.04),
        )

    def snapshot(self):
        with self._lock:
            return dict(self._state)

    def update(self, changes):
        """Applies a partial update after checking all of it; raises ValueError naming the problem."""
        if not isinstance(changes, dict):
            raise ValueError("expected a JSON object")
        unknown = sorted(set(changes) - set(self.FIELDS))
        if unknown:
            raise ValueError("unknown field(s): %s; known: %s" % (", ".join(unknown), ", ".join(self.FIELDS)))
        checked = {}
        for name, value in changes.items():
            if name == "healthy":
                if not isinstance(value, bool):
                    raise ValueError("healthy must be true or false")
                checked[name] = value
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError("%s must be a number" % name)
            if name in ("error_rate", "accuracy") and not 0 <= value <= 1:
                raise ValueError("%s must be between 0 and 1" % name)
            if name == "latency_ms" and not 0 <= value <= MAX_LATENCY_MS:
                raise ValueError("latency_ms must be between 0 and %d" % MAX_LATENCY_MS)
            if name == "drift" and value < 0:
                raise ValueError("drift must not be negative")
            checked[name] = int(value) if name == "latency_ms" else float(value)
        with self._lock:
            self._state.update(checked)
            return dict(self._state)

    def reset(self):
        with self._lock:
            self._state = dict(self._defaults)
            return dict(self._state)


def _format_value(value):
    if value == math.inf:
        return "+Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _format_labels(labels):
    if not labels:
        return ""
    escaped = (
        '%s="%s"' % (name, str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"'))
        for name, value in labels
    )
    return "{" + ",".join(escaped) + "}"


class Metrics:
    """The API's counters and histogram, safe to update from many request threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests = {}
        self._durations = {}

    def observe(self, route, code, seconds):
        with self._lock:
            key = (route, str(code))
            self._requests[key] = self._requests.get(key, 0) + 1
            histogram = self._durations.setdefault(route, {"buckets": [0] * len(BUCKETS), "sum": 0.0, "count": 0})
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    histogram["buckets"][index] += 1
            histogram["sum"] += seconds
            histogram["count"] += 1

    def render(self, gauges):
        """The exposition text; gauges are (name, help, [(labels, value), ...])."""
        lines = [
            "# HELP ai_inference_requests_total Requests to the inference routes, by route and status code.",
            "# TYPE ai_inference_requests_total counter",
        ]
        with self._lock:
            requests = sorted(self._requests.items())
            durations = sorted((route, dict(h, buckets=list(h["buckets"]))) for route, h in self._durations.items())
        for (route, code), count in requests:
            lines.append("ai_inference_requests_total%s %s" % (_format_labels([("route", route), ("code", code)]), count))
        lines += [
            "# HELP ai_inference_request_duration_seconds Time to answer an inference request.",
            "# TYPE ai_inference_request_duration_seconds histogram",
        ]
        for route, histogram in durations:
            for bound, count in zip(BUCKETS + (math.inf,), histogram["buckets"] + [histogram["count"]]):
                labels = _format_labels([("route", route), ("le", _format_value(bound))])
                lines.append("ai_inference_request_duration_seconds_bucket%s %d" % (labels, count))
            labels = _format_labels([("route", route)])
            lines.append("ai_inference_request_duration_seconds_sum%s %s" % (labels, repr(histogram["sum"])))
            lines.append("ai_inference_request_duration_seconds_count%s %d" % (labels, histogram["count"]))
        for name, help_text, samples in gauges:
            lines.append("# HELP %s %s" % (name, help_text))
            lines.append("# TYPE %s gauge" % name)
            for labels, value in samples:
                lines.append("%s%s %s" % (name, _format_labels(labels), _format_value(value)))
        return "\n".join(lines) + "\n"


class DatabaseProbe:
    """Checks every few seconds whether the database's TCP port accepts a connection."""

    def __init__(self, host, port, name="primary", interval=5.0, timeout=2.0):
        self.host, self.port, self.name = host, port, name
        self.interval, self.timeout = interval, timeout
        self._up = None
        self._stopped = threading.Event()

    @property
    def up(self):
        return bool(self._up)

    def probe_once(self):
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout):
                up = True
        except OSError:
            up = False
        if up != self._up:
            log.info("database %s (%s:%d) port is %s", self.name, self.host, self.port, "up" if up else "DOWN")
        self._up = up
        return up

    def start(self):
        def loop():
            while not self._stopped.is_set():
                self.probe_once()
                self._stopped.wait(self.interval)

        threading.Thread(target=loop, name="db-probe", daemon=True).start()
        return self

    def stop(self):
        self._stopped.set()


class InferenceApi:
    """The API's state: chaos settings, metrics, the database probe and the fake model."""

    def __init__(self, chaos=None, probe=None, version="dev", rng=None, sleep=time.sleep):
        self.chaos = chaos or Chaos()
        self.probe = probe
        self.version = version
        self.metrics = Metrics()
        self._rng = rng or random.Random()
        self._sleep = sleep

    def healthy(self):
        return self.chaos.snapshot()["healthy"]

    def predict(self, payload):
        """Returns (status, body). A tiny logistic "model" over the numeric features."""
        state = self.chaos.snapshot()
        if state["latency_ms"]:
            jitter = self._rng.uniform(0.8, 1.2)
            self._sleep(state["latency_ms"] * jitter / 1000.0)
        else:
            self._sleep(self._rng.uniform(0.005, 0.03))
        features = payload.get("features") if isinstance(payload, dict) else None
        if not isinstance(features, list) or not features or len(features) > 1000:
            return 400, {"error": 'expected {"features": [numbers]} with 1 to 1000 numbers'}
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in features):
            return 400, {"error": "features must be finite numbers"}
        if self._rng.random() < state["error_rate"]:
            return 500, {"error": "model backend failed (chaos error_rate=%s)" % state["error_rate"]}
        score = 1 / (1 + math.exp(-max(-50.0, min(50.0, sum(features) / len(features)))))
        return 200, {
            "prediction": "positive" if score >= 0.5 else "negative",
            "score": round(score, 4),
            "model_version": self.version,
        }

    def render_metrics(self):
        state = self.chaos.snapshot()
        # A little noise so the gauges look measured, around the configured values.
        accuracy = min(1.0, max(0.0, state["accuracy"] + self._rng.uniform(-0.005, 0.005)))
        drift = max(0.0, state["drift"] + self._rng.uniform(-0.005, 0.005))
        db_name = self.probe.name if self.probe else "primary"
        db_up = 1 if self.probe and self.probe.up else 0
        gauges = [
            ("ai_model_accuracy", "Rolling accuracy of the model on labelled feedback.", [([], round(accuracy, 4))]),
            ("ai_data_drift_psi", "Population stability index of the inputs against training data.", [([], round(drift, 4))]),
            ("ai_db_port_up", "1 when the database's TCP port accepts connections.", [([("db", db_name)], db_up)]),
            ("ai_liveness_ok", "1 when GET /health answers 200.", [([], 1 if state["healthy"] else 0)]),
            ("ai_app_info", "The running release.", [([("version", self.version)], 1)]),
        ]
        return self.metrics.render(gauges)


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ai-app"
    api = None  # set by make_server

    def log_message(self, fmt, *args):
        # Every request at debug only: the load generator calls several times a second.
        log.debug("%s %s", self.address_string(), fmt % args)

    def _send(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body larger than %d bytes" % MAX_BODY)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw.decode() or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as ex:
            raise ValueError("body is not JSON: %s" % ex) from None

    def do_GET(self):
        if self.path == "/health":
            if self.api.healthy():
                self._send(200, {"status": "ok", "version": self.api.version})
            else:
                self._send(503, {"status": "unhealthy", "reason": "chaos healthy=false"})
        elif self.path == "/metrics":
            self._send(200, self.api.render_metrics().encode(), "text/plain; version=0.0.4; charset=utf-8")
        elif self.path == "/chaos":
            self._send(200, self.api.chaos.snapshot())
        else:
            self._send(404, {"error": "no such path"})

    def do_POST(self):
        if self.path == PREDICT_ROUTE:
            started = time.monotonic()
            try:
                status, body = self.api.predict(self._read_json())
            except ValueError as ex:
                status, body = 400, {"error": str(ex)}
            self._send(status, body)
            self.api.metrics.observe(PREDICT_ROUTE, status, time.monotonic() - started)
        elif self.path == "/chaos":
            try:
                state = self.api.chaos.update(self._read_json())
            except ValueError as ex:
                self._send(400, {"error": str(ex)})
                return
            log.warning("chaos now %s", json.dumps(state))
            self._send(200, state)
        elif self.path == "/chaos/reset":
            state = self.api.chaos.reset()
            log.warning("chaos reset to %s", json.dumps(state))
            self._send(200, state)
        else:
            self._send(404, {"error": "no such path"})


class WorkerHandler(Handler):
    """An inference worker: healthy and idle, so the scale runbook has something to clone."""

    def do_GET(self):
        if self.path == "/health":
            self._send(200, {"status": "ok", "role": "worker", "version": self.api.version})
        elif self.path == "/metrics":
            text = "# HELP ai_worker_up 1 while the worker runs.\n# TYPE ai_worker_up gauge\nai_worker_up 1\n"
            self._send(200, text.encode(), "text/plain; version=0.0.4; charset=utf-8")
        else:
            self._send(404, {"error": "no such path"})

    def do_POST(self):
        self._send(404, {"error": "no such path"})


def make_server(api, host="0.0.0.0", port=8000, handler=Handler):
    """A threaded HTTP server for the API; port 0 picks a free one (tests)."""
    bound = type("BoundHandler", (handler,), {"api": api})
    server = http.server.ThreadingHTTPServer((host, port), bound)
    server.daemon_threads = True
    return server


def run_loadgen(target, rate, threads=4):
    """Calls POST /predict about `rate` times a second, spread over a few threads."""
    interval = threads / rate if rate > 0 else 1.0
    rng = random.Random()

    def loop():
        while True:
            started = time.monotonic()
            body = json.dumps({"features": [round(rng.gauss(0, 1), 3) for _ in range(8)]}).encode()
            request = urllib.request.Request(
                target.rstrip("/") + PREDICT_ROUTE, data=body, headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    answer.read()
            except urllib.error.HTTPError as ex:
                ex.read()
            except (urllib.error.URLError, OSError) as ex:
                log.info("%s unreachable: %s", target, ex)
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    log.info("calling %s%s about %.1f times a second", target, PREDICT_ROUTE, rate)
    workers = [threading.Thread(target=loop, name="loadgen-%d" % i, daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def main(argv):
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    role = argv[1] if len(argv) > 1 else "serve"
    version = os.environ.get("AI_APP_VERSION", "dev")
    port = int(os.environ.get("PORT", "8000"))
    if role == "serve":
        probe = DatabaseProbe(
            os.environ.get("AI_DB_HOST", "ai-db"),
            int(os.environ.get("AI_DB_PORT", "5432")),
            name=os.environ.get("AI_DB_NAME", "primary"),
            interval=_env_float("AI_DB_PROBE_INTERVAL_SECONDS", 5.0),
        ).start()
        server = make_server(InferenceApi(Chaos.from_environment(), probe, version), port=port)
    elif role == "worker":
        server = make_server(InferenceApi(version=version), port=port, handler=WorkerHandler)
    elif role == "loadgen":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        run_loadgen(os.environ.get("LOADGEN_TARGET", "http://ai-app:8000"), _env_float("LOADGEN_RATE", 5.0))
        return 0
    else:
        print("usage: app.py [serve|worker|loadgen]", file=sys.stderr)
        return 2
    # PID 1 in a container gets no default SIGTERM handling: without this, every stop
    # (and every runbook restart) would wait out the whole stop timeout.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log.info("%s %s listening on :%d", role, version, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
