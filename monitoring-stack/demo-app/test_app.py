"""Tests for the demo AI inference API: python3 -m unittest (from this directory)."""

import json
import logging
import math
import re
import socket
import threading
import time
import unittest
import urllib.error
import urllib.request

import app

# The app logs every chaos change as a warning; the tests make plenty.
app.log.setLevel(logging.ERROR)

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*)?\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """Parses Prometheus text format strictly enough to catch mistakes: {name: [(labels, value)]}, types."""
    samples, types, helps = {}, {}, set()
    assert text.endswith("\n"), "exposition must end with a newline"
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helps.add(line.split(" ")[2])
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped"), line
            assert name not in types, "TYPE given twice for " + name
            types[name] = kind
        else:
            match = SAMPLE.match(line)
            assert match, "not a sample line: %r" % line
            name, labels, value = match.group(1), dict(LABEL.findall(match.group(3) or "")), match.group(4)
            samples.setdefault(name, []).append((labels, float(value)))
    for name in samples:
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, "sample %s has no TYPE line" % name
        assert family in helps, "sample %s has no HELP line" % name
    return samples, types


class InferenceApiServerTests(unittest.TestCase):
    """The API over real HTTP on a free loopback port."""

    def setUp(self):
        self.database = socket.socket()
        self.database.bind(("127.0.0.1", 0))
        self.database.listen(8)
        probe = app.DatabaseProbe("127.0.0.1", self.database.getsockname()[1], interval=3600, timeout=0.5)
        probe.probe_once()
        self.api = app.InferenceApi(app.Chaos(), probe, version="1.2.3")
        self.server = app.make_server(self.api, host="127.0.0.1", port=0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.database.close()

    def call(self, method, path, body=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.headers.get("Content-Type"), answer.read().decode()
        except urllib.error.HTTPError as ex:
            return ex.code, ex.headers.get("Content-Type"), ex.read().decode()

    def metrics(self):
        status, content_type, text = self.call("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(content_type.startswith("text/plain; version=0.0.4"), content_type)
        return parse_exposition(text)

    def gauge(self, name, **labels):
        samples, _ = self.metrics()
        values = [value for sample_labels, value in samples[name] if all(sample_labels.get(k) == v for k, v in labels.items())]
        self.assertEqual(len(values), 1, "%s%s: %s" % (name, labels, samples.get(name)))
        return values[0]

    def test_predicts_from_features(self):
        status, _, body = self.call("POST", "/predict", {"features": [1.5, 2.0, 0.5]})
        self.assertEqual(status, 200)
        answer = json.loads(body)
        self.assertEqual(answer["prediction"], "positive")
        self.assertEqual(answer["model_version"], "1.2.3")
        self.assertGreater(answer["score"], 0.5)

    def test_rejects_bad_input_with_400(self):
        self.assertEqual(self.call("POST", "/predict", b"not json")[0], 400)
        self.assertEqual(self.call("POST", "/predict", {"features": ["a"]})[0], 400)
        self.assertEqual(self.call("POST", "/predict", {"features": []})[0], 400)

    def test_exposes_the_metric_contract(self):
        self.call("POST", "/predict", {"features": [0.1]})
        samples, types = self.metrics()
        self.assertEqual(types["ai_inference_requests_total"], "counter")
        self.assertEqual(types["ai_inference_request_duration_seconds"], "histogram")
        for gauge in ("ai_model_accuracy", "ai_data_drift_psi", "ai_db_port_up", "ai_liveness_ok"):
            self.assertEqual(types[gauge], "gauge")
            self.assertIn(gauge, samples)
        self.assertIn(({"route": "/predict", "code": "200"}, 1.0), samples["ai_inference_requests_total"])
        self.assertEqual(samples["ai_db_port_up"], [({"db": "primary"}, 1.0)])
        self.assertEqual(samples["ai_liveness_ok"], [({}, 1.0)])

    def test_histogram_buckets_are_cumulative_and_end_at_count(self):
        for _ in range(3):
            self.call("POST", "/predict", {"features": [0.1]})
        samples, _ = self.metrics()
        buckets = [(labels["le"], value) for labels, value in samples["ai_inference_request_duration_seconds_bucket"]]
        bounds = [le for le, _ in buckets]
        for required in ("0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"):
            self.assertIn(required, bounds)
        self.assertEqual(bounds, sorted(bounds, key=lambda le: math.inf if le == "+Inf" else float(le)))
        counts = [value for _, value in buckets]
        self.assertEqual(counts, sorted(counts), "buckets must be cumulative")
        count = samples["ai_inference_request_duration_seconds_count"][0][1]
        self.assertEqual(counts[-1], count)
        self.assertEqual(count, 3)
        self.assertGreater(samples["ai_inference_request_duration_seconds_sum"][0][1], 0)

    def test_chaos_error_rate_turns_answers_into_5xx(self):
        status, _, body = self.call("POST", "/chaos", {"error_rate": 1.0})
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["error_rate"], 1.0)
        self.assertEqual(self.call("POST", "/predict", {"features": [1]})[0], 500)
        samples, _ = self.metrics()
        self.assertIn(({"route": "/predict", "code": "500"}, 1.0), samples["ai_inference_requests_total"])

    def test_chaos_changes_accuracy_and_drift(self):
        self.assertGreater(self.gauge("ai_model_accuracy"), 0.9)
        self.assertLess(self.gauge("ai_data_drift_psi"), 0.1)
        self.call("POST", "/chaos", {"accuracy": 0.6, "drift": 0.35})
        self.assertAlmostEqual(self.gauge("ai_model_accuracy"), 0.6, delta=0.01)
        self.assertAlmostEqual(self.gauge("ai_data_drift_psi"), 0.35, delta=0.01)

    def test_chaos_latency_slows_answers(self):
        self.call("POST", "/chaos", {"latency_ms": 300})
        started = time.monotonic()
        self.assertEqual(self.call("POST", "/predict", {"features": [1]})[0], 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.24)
        samples, _ = self.metrics()
        below = {labels["le"]: value for labels, value in samples["ai_inference_request_duration_seconds_bucket"]}
        self.assertEqual(below["0.1"], 0)
        self.assertEqual(below["+Inf"], 1)

    def test_health_flips_with_chaos_and_back_on_reset(self):
        self.assertEqual(self.call("GET", "/health")[0], 200)
        self.call("POST", "/chaos", {"healthy": False, "error_rate": 0.5})
        self.assertEqual(self.call("GET", "/health")[0], 503)
        self.assertEqual(self.gauge("ai_liveness_ok"), 0)
        status, _, body = self.call("POST", "/chaos/reset")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"error_rate": 0.0, "latency_ms": 0, "accuracy": 0.93, "drift": 0.04, "healthy": True})
        self.assertEqual(self.call("GET", "/health")[0], 200)
        self.assertEqual(self.gauge("ai_liveness_ok"), 1)

    def test_refuses_invalid_chaos_and_changes_nothing(self):
        for body in ({"error_rate": 2}, {"healthy": "no"}, {"latency_ms": -1}, {"typo": 1}, {"drift": "x"}, [1]):
            self.assertEqual(self.call("POST", "/chaos", body)[0], 400, body)
        self.assertEqual(json.loads(self.call("GET", "/chaos")[2]), self.api.chaos.reset())

    def test_reports_the_database_port_down_when_it_stops_answering(self):
        self.assertEqual(self.gauge("ai_db_port_up", db="primary"), 1)
        self.database.close()
        self.api.probe.probe_once()
        self.assertEqual(self.gauge("ai_db_port_up", db="primary"), 0)


class ChaosTests(unittest.TestCase):
    def test_defaults_come_from_the_image(self):
        chaos = app.Chaos(error_rate=0.3)
        chaos.update({"error_rate": 0})
        self.assertEqual(chaos.reset()["error_rate"], 0.3)

    def test_partial_update_keeps_other_fields(self):
        chaos = app.Chaos()
        state = chaos.update({"latency_ms": 800})
        self.assertEqual(state["latency_ms"], 800)
        self.assertTrue(state["healthy"])


class WorkerTests(unittest.TestCase):
    def test_worker_answers_health(self):
        server = app.make_server(app.InferenceApi(version="w"), host="127.0.0.1", port=0, handler=app.WorkerHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = "http://127.0.0.1:%d" % server.server_address[1]
            with urllib.request.urlopen(url + "/health", timeout=5) as answer:
                self.assertEqual(json.loads(answer.read())["role"], "worker")
            with urllib.request.urlopen(url + "/metrics", timeout=5) as answer:
                samples, _ = parse_exposition(answer.read().decode())
            self.assertEqual(samples["ai_worker_up"], [({}, 1.0)])
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
