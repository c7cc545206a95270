"""Event building: stack, paths, columns, code context, causes, trimming, before_send,
sampling. Every kind of event is checked against spec/event.schema.json."""

import json
import os
import sys

import pytest

from conftest import KEY
from ez_pixel import event as event_builder
from ez_pixel import options as options_module
from ez_pixel.capture import Capture, call_site_frames
from ez_pixel.client import Client
from ez_pixel.stack import PathRules
from ez_pixel.trim import MAX_BYTES, fit

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def opts(monkeypatch, tmp_path):
    monkeypatch.chdir(HERE)  # the project root is the working directory at init
    monkeypatch.setenv("EZ_PIXEL_CACHE_DIR", str(tmp_path))
    built, reason = options_module.build(KEY, "http://127.0.0.1:9/ingest",
                                         environment="test", release="1.2.3")
    assert reason is None
    return built


def build(opts, capture):
    return event_builder.build(capture, opts, PathRules(opts.project_root))[0]


def raised(fn):
    try:
        fn()
    except BaseException as caught:  # noqa: B902 - the tests raise on purpose
        return caught
    raise AssertionError("did not raise")


def inner():
    raise ValueError("bad input")


def outer():
    inner()


def test_exception_event(opts, validator):
    error = raised(outer)
    event = build(opts, Capture("error", True, error=error, tb=error.__traceback__))
    assert list(validator.iter_errors(event)) == []
    assert [f["fn"] for f in event["stack"][:3]] == ["inner", "outer", "raised"]
    assert event["stack"][0]["file"] == "test_events.py" and event["stack"][0]["in_app"]
    assert event["type"] == "ValueError" and event["message"] == "bad input"
    assert event["environment"] == "test" and event["release"] == "1.2.3"
    context = event["code_context"]
    assert context["file"] == "test_events.py"
    assert context["lines"][context["error_line"] - context["start_line"]] == \
        '    raise ValueError("bad input")'
    assert context["error_line"] - context["start_line"] == 5 and len(context["lines"]) == 11
    if sys.version_info >= (3, 11):
        assert event["stack"][0]["col"] == 5  # 1-based, from co_positions()
    from ez_pixel import fingerprint as fp
    key = "ValueError\0test_events.py\0inner\0raise ValueError(\"bad input\")"
    assert event["fingerprint"] == fp.fingerprint(key)


def test_stdlib_and_library_frames_are_not_in_app(opts, validator):
    import json as json_module
    error = raised(lambda: json_module.loads("{nope"))
    event = build(opts, Capture("error", False, error=error, tb=error.__traceback__))
    files = [(f["file"], f["in_app"]) for f in event["stack"]]
    assert ("json/decoder.py", False) in files
    assert files[-1] == ("test_events.py", True)
    # grouped by the innermost in-app frame, not by the stdlib's
    assert event["code_context"]["file"] == "test_events.py"

    error = raised(lambda: pytest.fail("from a library"))
    event = build(opts, Capture("error", False, error=error, tb=error.__traceback__))
    assert event["stack"][0]["file"] == "_pytest/outcomes.py"
    assert event["stack"][0]["in_app"] is False
    assert list(validator.iter_errors(event)) == []


def test_sdk_frames_are_removed(opts):
    capture = Capture("info", True, message="hello", frames=call_site_frames())
    event = build(opts, capture)
    assert event["stack"][0]["fn"] == "test_sdk_frames_are_removed"
    assert not any("ez_pixel" in f["file"] for f in event["stack"])


def test_message_event(opts, validator):
    def report_here():
        return Capture("warning", True, message="disk almost full", frames=call_site_frames())
    event = build(opts, report_here())
    assert list(validator.iter_errors(event)) == []
    assert event["type"] == "Message" and event["level"] == "warning"
    assert event["stack"][0]["fn"] == "report_here"
    assert "cause" not in event


def chained():
    try:
        try:
            raise KeyError("first")
        except KeyError as key_error:
            raise OSError("second") from key_error
    except OSError:
        raise RuntimeError("third")


def test_cause_and_context_chain(opts, validator):
    error = raised(chained)
    event = build(opts, Capture("error", False, error=error, tb=error.__traceback__))
    assert [(c["relation"], c["type"]) for c in event["cause"]] == [
        ("context", "OSError"), ("cause", "KeyError")]
    assert event["cause"][1]["stack"][0]["fn"] == "chained"
    assert list(validator.iter_errors(event)) == []


def test_cycles_end(opts, validator):
    a, b = ValueError("a"), TypeError("b")
    a.__context__, b.__context__ = b, a
    event = build(opts, Capture("error", False, error=a, tb=None))
    assert [c["type"] for c in event["cause"]] == ["TypeError"]
    assert list(validator.iter_errors(event)) == []


def test_at_most_ten_causes(opts, validator):
    error = ValueError("0")
    current = error
    for i in range(1, 30):
        linked = ValueError(str(i))
        current.__cause__ = linked
        current = linked
    event = build(opts, Capture("error", False, error=error, tb=None))
    assert len(event["cause"]) == 10
    assert list(validator.iter_errors(event)) == []


@pytest.mark.skipif(sys.version_info < (3, 11), reason="ExceptionGroup is Python 3.11+")
def test_exception_group_members(opts, validator):
    def fail():
        raise ExceptionGroup("many", [ValueError("one"), TypeError("two")])  # noqa: F821
    event = build(opts, Capture("error", False, error=raised(fail), tb=None))
    assert [(c["relation"], c["type"]) for c in event["cause"]] == [
        ("group", "ValueError"), ("group", "TypeError")]
    assert list(validator.iter_errors(event)) == []


def test_unprintable_exception_and_surrogates(opts, validator):
    class Weird(Exception):
        def __str__(self):
            raise RuntimeError("no")
    event = build(opts, Capture("error", False, error=raised(lambda: (_ for _ in ()).throw(
        Weird())), tb=None))
    assert event["message"] == "<unprintable Weird>"
    event = build(opts, Capture("error", False, error=ValueError("bad \udc80 byte"), tb=None))
    assert event["message"] == "bad \ufffd byte"
    body, _ = fit(event)
    json.loads(body.decode("utf-8"))


def test_oversized_event_is_trimmed_in_spec_order(opts, validator):
    def deep(n):
        if n == 0:
            raise ValueError("x" * 20000)
        deep(n - 1)
    error = raised(lambda: deep(150))
    capture = Capture("error", False, error=error, tb=None, context={"blob": "y" * 70000})
    event = build(opts, capture)
    assert len(event["stack"]) == 100  # innermost 100 kept
    assert len(event["message"]) == 8192
    body, trimmed = fit(event)
    assert len(body) <= MAX_BYTES
    assert trimmed["context"] == {"_trimmed": True}
    assert list(validator.iter_errors(json.loads(body))) == []
    assert trimmed["stack"][0]["fn"] == "deep"


def test_frames_trim_before_context(opts):
    event = build(opts, Capture("error", False, error=raised(outer), tb=None,
                                context={"blob": "z" * 1000}))
    event["stack"] = [dict(event["stack"][0], fn="f" * 1000) for _ in range(100)]
    body, trimmed = fit(event)
    assert len(body) <= MAX_BYTES
    assert trimmed["context"] == {"blob": "z" * 1000}  # frames were enough
    assert 20 <= len(trimmed["stack"]) < 100


def test_before_send_can_change_drop_or_fail(opts, capfd):
    error = ValueError("x")

    def change(event):
        event["context"] = {"user": 7}
        return event
    opts.before_send = change
    client = Client(opts)
    body = client._prepare(Capture("error", False, error=error, tb=None))
    assert json.loads(body)["context"] == {"user": 7}

    opts.before_send = lambda event: None
    assert client._prepare(Capture("error", False, error=error, tb=None)) is None

    def broken(event):
        raise RuntimeError("oops")
    opts.before_send = broken
    for _ in range(2):
        body = client._prepare(Capture("error", False, error=error, tb=None))
        assert json.loads(body)["type"] == "ValueError"
    assert capfd.readouterr().err.count("before_send raised") == 1


def test_sample_rate_applies_to_error_events(opts):
    opts.sample_rate = 0.0
    client = Client(opts)
    assert client.capture_exception(ValueError("sampled out")) is None
    assert client.capture_message("messages are not sampled") is not None
    client.shutdown(0)


def test_same_exception_object_is_reported_once(opts):
    client = Client(opts)
    error = ValueError("once")
    assert client.capture_exception(error, manual=True) is not None
    assert client.capture_exception(error) is None
    assert client.capture_exception(ValueError("once")) is not None
    client.shutdown(0)


def test_multibyte_worst_case_still_fits(opts, validator):
    event = build(opts, Capture("error", False, error=raised(outer), tb=None,
                                context={"k": "v"}))
    wide = "\U0001F600" * 1024  # 4 bytes each in UTF-8
    event["message"] = "\U0001F600" * 8192
    event["stack"] = [dict(event["stack"][0], file=wide, fn=wide) for _ in range(100)]
    event["code_context"]["lines"] = [wide] * 11
    body, trimmed = fit(event)
    assert len(body) <= MAX_BYTES
    assert list(validator.iter_errors(json.loads(body))) == []
