"""The oneM2M exchange of the onem2m-mqtt benchmark with Python paho-mqtt 2.

Run by the harness (crates/bench) as `python paho_bench.py '<worker spec JSON>'`: one
receiver client answers every JSON request primitive with a 2001 response carrying the
request's content on the response topic; originator clients send closed-loop requests
and match responses by rqi. Prints `progress <done> <total>` lines on stderr and one
JSON report line on stdout, as the Rust workers do.
"""

import collections
import itertools
import json
import resource
import socket
import sys
import threading
import time

import paho.mqtt.client as mqtt

TARGET = "cse-in/bench"
CONTENT_FORMAT = "text/plain:0"
CONTENT = '{"temperature":21.5,"humidity":48,"unit":"C","sensor":"bench-0001"}'


def ae_id(index):
    return "CAE%04d" % index


def client(client_id, host, port, in_flight):
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    c.max_inflight_messages_set(max(20, in_flight))
    c.max_queued_messages_set(0)
    c.connect(host, port, keepalive=60)
    # Without TCP_NODELAY every QoS 1 exchange waits for a delayed ACK.
    c.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c


def subscribe(c, topic):
    done = threading.Event()
    c.on_subscribe = lambda *args: done.set()
    c.loop_start()
    c.subscribe(topic, qos=1)
    if not done.wait(30):
        raise RuntimeError("no SUBACK for " + topic)


def start_receiver(host, port, in_flight):
    cse = client("bench-paho-cse", host, port, in_flight)

    def on_message(c, _userdata, msg):
        request = json.loads(msg.payload)
        originator = msg.topic.split("/")[3]
        response = {
            "rsc": 2001,
            "rqi": request.get("rqi"),
            "to": request.get("fr"),
            "rvi": request.get("rvi"),
            "pc": request.get("pc"),
        }
        c.publish("/oneM2M/resp/%s/id-in/json" % originator, json.dumps(response), qos=1)

    cse.on_message = on_message
    subscribe(cse, "/oneM2M/req/+/id-in/json")
    return cse


class Run:
    """One closed-loop phase over every originator."""

    def __init__(self, total, record):
        self.total = total
        self.record = record
        self.sent = 0
        self.done = 0
        self.lock = threading.Lock()
        self.finished = threading.Event()
        self.latencies = collections.Counter()
        if total == 0:
            self.finished.set()

    def claim(self):
        with self.lock:
            if self.sent >= self.total:
                return False
            self.sent += 1
            return True

    def complete(self, ns):
        with self.lock:
            self.done += 1
            if self.record:
                self.latencies[(ns // 1000) * 1000 or 1] += 1
            if self.done >= self.total:
                self.finished.set()


class Originator:
    def __init__(self, index, host, port, in_flight):
        self.ae = ae_id(index)
        self.topic = "/oneM2M/req/%s/id-in/json" % self.ae
        self.pending = {}
        self.counter = itertools.count(1)
        self.run = None
        self.client = client("bench-paho-" + self.ae, host, port, in_flight)
        self.client.on_message = self.on_message
        subscribe(self.client, "/oneM2M/resp/%s/id-in/json" % self.ae)

    def send(self):
        if not self.run.claim():
            return
        rqi = "%s-%d" % (self.ae, next(self.counter))
        request = {
            "op": 1,
            "to": TARGET,
            "fr": self.ae,
            "rqi": rqi,
            "rvi": "3",
            "ty": 4,
            "pc": {"m2m:cin": {"cnf": CONTENT_FORMAT, "con": CONTENT}},
        }
        self.pending[rqi] = time.perf_counter_ns()
        self.client.publish(self.topic, json.dumps(request), qos=1)

    def on_message(self, _c, _userdata, msg):
        response = json.loads(msg.payload)
        started = self.pending.pop(response.get("rqi"), None)
        if started is None or response.get("rsc") != 2001:
            print("paho: unexpected response %r" % (response,), file=sys.stderr)
            return
        self.run.complete(time.perf_counter_ns() - started)
        self.send()


def phase(originators, lanes, total, record, progress):
    run = Run(total, record)
    for o in originators:
        o.run = run
    for o, n in zip(originators, lanes):
        for _ in range(n):
            o.send()
    while not run.finished.wait(0.1):
        if progress:
            print("progress %d %d" % (run.done, total), file=sys.stderr, flush=True)
    if progress:
        print("progress %d %d" % (run.done, total), file=sys.stderr, flush=True)
    return run


def main():
    spec = json.loads(sys.argv[1])
    url = spec["url"]
    if not url.startswith("mqtt://"):
        raise SystemExit("the paho baseline runs over mqtt:// only, not " + url)
    host, port = url[len("mqtt://"):].rsplit(":", 1)
    port = int(port)
    in_flight = max(1, spec["in_flight"])
    count = max(1, spec["originators"])
    receiver = start_receiver(host, port, in_flight)
    originators = [Originator(i, host, port, in_flight) for i in range(count)]
    lanes = [in_flight // count + (1 if i < in_flight % count else 0) for i in range(count)]
    lanes = [max(1, n) for n in lanes]
    phase(originators, lanes, spec["warmup"], False, False)
    cpu = time.process_time()
    start = time.perf_counter()
    run = phase(originators, lanes, spec["count"], True, True)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    report = {
        "stack": "paho",
        "pairs": run.done,
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "latency_buckets": sorted(run.latencies.items()),
    }
    print(json.dumps(report), flush=True)
    for o in originators:
        o.client.loop_stop()
        o.client.disconnect()
    receiver.loop_stop()
    receiver.disconnect()


if __name__ == "__main__":
    main()
