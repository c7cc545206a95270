"""before_send by spec/hooks.md: what each kind of result sends, the one warning per kind, and
re-entrancy (a report from inside the hook yields no event). Real processes."""

import textwrap

import pytest

from test_hooks import env

RESULTS = {
    "a number": ("return 42", "before_send returned a int, not an event dict or None"),
    "a string": ("return 'x'", "before_send returned a str, not an event dict or None"),
    "a list": ("return [event]", "before_send returned a list, not an event dict or None"),
    "a cycle": ("event['context'] = {}; event['context']['me'] = event['context']; "
                "return event", "before_send returned an event that cannot be serialised "
                                "(ValueError('Circular reference detected'))"),
    "a message that is not a string": ("event['message'] = 7; return event",
                                       "cannot be serialised (message is not a string)"),
    "a raise": ("event['context'] = {'mutated': 1}; raise RuntimeError('oops')",
                "before_send raised (RuntimeError('oops')); sending the event unchanged"),
    "SystemExit": ("raise SystemExit(3)", "before_send raised (SystemExit(3))"),
}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_an_odd_result_sends_the_unmodified_event_with_one_warning(ingest, run_script, name):
    body, warning = RESULTS[name]
    result = run_script(textwrap.dedent("""
        import os, ez_pixel
        def hook(event):
            %s
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        ez_pixel.report_pixel("one", context={"n": 1})
        ez_pixel.report_pixel("two", context={"n": 2})
        print(ez_pixel.flush_pixel(5))
    """) % body, env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    events = sorted(ingest.delivered, key=lambda event: event["message"])
    assert [(e["message"], e["context"]) for e in events] == [("one", {"n": 1}), ("two", {"n": 2})]
    assert result.stderr.count(warning) == 1, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_an_async_hook_is_not_awaited_and_warns_nothing_else(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, warnings, ez_pixel
        warnings.simplefilter("error")
        async def hook(event):
            event["context"] = {"async": True}
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        ez_pixel.report_pixel("async")
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    [event] = ingest.delivered
    assert "context" not in event
    assert result.stderr.strip() == (
        "ez-pixel: before_send returned an awaitable; promises are not supported (the hook must "
        "return the event synchronously); sending the event unchanged")


def test_a_report_from_inside_the_hook_makes_no_event(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import logging, os, time, ez_pixel
        inner = []
        def hook(event):
            inner.append(ez_pixel.report_pixel("from the hook"))
            try:
                raise ValueError("inside")
            except ValueError as error:
                inner.append(ez_pixel.report_pixel("again", error))
            logging.getLogger("app").error("logged from the hook")
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        for n in range(3):
            ez_pixel.report_pixel("original %d" % n)
        print(ez_pixel.flush_pixel(5))
        time.sleep(0.5)
        print(ez_pixel.flush_pixel(5), set(inner), ez_pixel.dropped_count())
    """), env=env(ingest))
    assert result.stdout.split() == ["True", "True", "{None}", "0"], result.stderr
    assert sorted(event["message"] for event in ingest.delivered) == \
        ["original 0", "original 1", "original 2"]


def test_a_report_from_another_thread_while_the_hook_runs_is_ordinary(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, threading, ez_pixel
        def hook(event):
            if event["message"] == "first":
                t = threading.Thread(target=ez_pixel.report_pixel, args=("from a thread",))
                t.start(); t.join()
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        ez_pixel.report_pixel("first")
        print(ez_pixel.flush_pixel(5))
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.split() == ["True", "True"], result.stderr
    assert sorted(event["message"] for event in ingest.delivered) == ["first", "from a thread"]


def test_a_flush_from_inside_the_hook_returns_at_once(ingest, run_script):
    # The hook runs on the worker: a flush there would wait for the worker itself.
    result = run_script(textwrap.dedent("""
        import os, time, ez_pixel
        waited = []
        def hook(event):
            started = time.monotonic()
            waited.append((ez_pixel.flush_pixel(30), time.monotonic() - started < 1))
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        ez_pixel.report_pixel("flushes inside")
        print(ez_pixel.flush_pixel(40), waited)
    """), env=env(ingest), timeout=90)
    assert result.stdout.strip() == "True [(False, True)]", result.stderr
    assert [event["message"] for event in ingest.delivered] == ["flushes inside"]
    assert result.duration < 10
