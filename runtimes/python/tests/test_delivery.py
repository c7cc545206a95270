"""The worker and transport against a real HTTP server: statuses, retries, 429, the bounded
queue, flush semantics and headers."""

import email.utils
import time

import pytest

import ez_pixel
from conftest import KEY
from ez_pixel import options as options_module
from ez_pixel.client import Client
from ez_pixel.retry_after import parse_retry_after


@pytest.fixture
def make_client(monkeypatch, tmp_path):
    monkeypatch.setenv("EZ_PIXEL_BACKOFF_SCALE", "0.01")
    monkeypatch.setenv("EZ_PIXEL_CACHE_DIR", str(tmp_path / "cache"))
    clients = []

    def make(url, **kwargs):
        opts, reason = options_module.build(KEY, url, **kwargs)
        assert reason is None
        client = Client(opts)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.shutdown(0.1)


def error(text="boom"):
    try:
        raise ValueError(text)
    except ValueError as caught:
        return caught


def test_headers_and_body(ingest, make_client, validator):
    client = make_client(ingest.url)
    event_id = client.capture_exception(error(), manual=True)
    assert client.flush(5) is True
    [request] = ingest.requests
    assert request["headers"]["content-type"] == "application/json"
    assert request["headers"]["x-pixel-key"] == KEY
    assert request["headers"]["user-agent"] == "ez-pixel-python/" + ez_pixel.__version__
    assert request["body"]["event_id"] == event_id
    assert request["body"]["sdk"] == {"name": "ez-pixel-python", "version": "0.2.0"}
    assert list(validator.iter_errors(request["body"])) == []


def test_keep_alive_reuses_one_connection(ingest, make_client):
    client = make_client(ingest.url)
    for i in range(5):
        client.capture_message("m%d" % i)
    assert client.flush(5)
    assert len({r["client"] for r in ingest.requests}) == 1


@pytest.mark.parametrize("status", [503, 500, 408])
def test_retryable_statuses_are_retried(ingest, make_client, status):
    ingest.script = [status, status]
    client = make_client(ingest.url)
    client.capture_exception(error())
    assert client.flush(5) is True
    assert [r["status"] for r in ingest.requests] == [status, status, 200]
    assert len({r["body"]["event_id"] for r in ingest.requests}) == 1


def test_backoff_waits_follow_the_documented_schedule(ingest, make_client, monkeypatch):
    monkeypatch.setenv("EZ_PIXEL_BACKOFF_SCALE", "0.1")  # 20, 40, 80 ms
    ingest.script = [503, 503, 503]
    client = make_client(ingest.url)
    client.capture_message("retry me")
    assert client.flush(5)
    times = [r["time"] for r in ingest.requests]
    gaps = [b - a for a, b in zip(times, times[1:])]
    for gap, expected in zip(gaps, (0.02, 0.04, 0.08)):
        assert expected * 0.9 <= gap < expected + 0.5  # generous: CI machines are busy


def test_gives_up_after_five_retries_with_one_stderr_line_and_spools(ingest, make_client,
                                                                     capfd):
    ingest.script = [503] * 6
    client = make_client(ingest.url)
    event_id = client.capture_message("lost")
    assert client.flush(5) is False  # given up is not delivered
    assert len(ingest.requests) == 6
    err = capfd.readouterr().err
    assert err.count("giving up on event %s after 6 attempt(s) (HTTP 503)" % event_id) == 1
    assert client.spool.load(10)[0][1]["event_id"] == event_id


def test_network_errors_are_retried_then_given_up(closed_url, make_client, capfd):
    client = make_client(closed_url)
    client.capture_message("nobody home")
    assert client.flush(5) is False
    assert "giving up" in capfd.readouterr().err


def test_other_4xx_are_dropped_without_retry_one_warning_per_status(ingest, make_client,
                                                                    capfd):
    ingest.script = [400, 400, 401]
    client = make_client(ingest.url)
    for i in range(4):
        client.capture_message("bad %d" % i)
    assert client.flush(5) is True  # definitively rejected counts as done
    assert [r["status"] for r in ingest.requests] == [400, 400, 401, 200]
    err = capfd.readouterr().err
    assert err.count("HTTP 400") == 1 and err.count("HTTP 401") == 1


@pytest.mark.parametrize("header", ["1", "date"])
def test_429_pauses_for_retry_after_and_keeps_the_queue(ingest, make_client, header):
    if header == "date":
        # HTTP dates have whole seconds: aim 2 s ahead so the pause is between 1 and 2 s.
        header = email.utils.formatdate(time.time() + 2, usegmt=True)
        low = 0.9
    else:
        low = 0.95
    ingest.script = [(429, {"Retry-After": header})]
    client = make_client(ingest.url)
    first = client.capture_message("first")
    second = client.capture_message("second")
    started = time.monotonic()
    assert client.flush(0.5) is False  # still paused
    assert client.flush(5) is True
    statuses = [(r["status"], r["body"]["event_id"]) for r in ingest.requests]
    assert statuses == [(429, first), (200, first), (200, second)]
    waited = ingest.requests[1]["time"] - ingest.requests[0]["time"]
    assert low <= waited < 3.0
    assert time.monotonic() - started < 4


def test_retry_after_parsing():
    assert parse_retry_after(None) == 60.0
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("garbage") == 60.0
    assert parse_retry_after("-5") == 0.0
    now = 1_700_000_000
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == 30.0


def test_full_queue_drops_the_newest_and_counts(blackhole_url, make_client):
    client = make_client(blackhole_url, max_queue=3)
    in_flight = client.capture_message("stalls in flight")
    # Wait until the worker has taken it off the queue, so the queue below fills deterministically.
    deadline = time.monotonic() + 5
    while client.worker._queue and time.monotonic() < deadline:
        time.sleep(0.005)
    assert in_flight is not None and not client.worker._queue
    ids = [client.capture_message("m%d" % i) for i in range(10)]
    assert all(i is not None for i in ids[:3]) and all(i is None for i in ids[3:])
    assert client.worker.dropped_count() == 7


def test_flush_waits_for_the_in_flight_request(ingest, make_client):
    ingest.script = ["stall"]
    client = make_client(ingest.url)
    client.capture_message("stalls")
    started = time.monotonic()
    assert client.flush(0.3) is False
    assert 0.29 <= time.monotonic() - started < 1.0


def test_flush_with_nothing_pending_is_immediate(ingest, make_client):
    client = make_client(ingest.url)
    started = time.monotonic()
    assert client.flush(2) is True
    assert time.monotonic() - started < 0.2


def test_sustained_delivery(ingest, make_client):
    client = make_client(ingest.url, max_queue=1000)
    for i in range(300):
        client.capture_message("m%d" % i)
    assert client.flush(20)
    assert len(ingest.delivered) == 300


def test_a_redirect_is_retried_not_taken_for_a_rejection(ingest, make_client):
    ingest.script = [(302, {"location": "http://127.0.0.1:1/elsewhere"})]
    client = make_client(ingest.url)
    client.capture_message("after a redirect")
    assert client.flush(5) is True
    assert [r["status"] for r in ingest.requests] == [302, 200]
