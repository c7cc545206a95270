"""The logging integration in real processes."""

import textwrap

from conftest import KEY

INIT = ("import os, sys, logging, ez_pixel\n"
        "ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n")


def test_records_with_and_without_exc_info(ingest, run_script, validator):
    result = run_script(INIT + textwrap.dedent("""
        log = logging.getLogger("shop.orders")
        def handle():
            try:
                {}["missing"]
            except KeyError:
                log.exception("order %d failed", 42)
        handle()
        for user in ("ann", "bob"):
            log.error("user %s could not pay", user)
        log.warning("below ERROR: not captured")
        logging.getLogger("ez_pixel").error("the SDK's own logger: never captured")
        logging.getLogger("ez_pixel.worker").error("nor its children")
        assert ez_pixel.flush_pixel(5)
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert "order 42 failed" in result.stderr  # logging's own output is untouched
    events = ingest.wait_for(3)
    assert len(events) == 3, events
    exc_event = [e for e in events if e["type"] == "KeyError"][0]
    assert exc_event["stack"][0]["fn"] == "handle" and exc_event["level"] == "error"
    # The record's own text, which the exception's message ('missing') does not hold.
    assert exc_event["context"] == {"logger": "shop.orders", "log_message": "order 42 failed"}
    messages = [e for e in events if e["type"] == "Message"]
    assert sorted(e["message"] for e in messages) == ["user ann could not pay",
                                                      "user bob could not pay"]
    assert messages[0]["fingerprint"] == messages[1]["fingerprint"]
    assert messages[0]["context"] == {"logger": "shop.orders"}
    for event in events:
        assert list(validator.iter_errors(event)) == []


def test_logged_then_uncaught_exception_is_sent_once(ingest, run_script):
    run_script(INIT + textwrap.dedent("""
        try:
            raise ValueError("logged and re-raised")
        except ValueError:
            logging.getLogger("app").exception("failed")
            raise
    """), env={"KEY": KEY, "URL": ingest.url})
    events = ingest.wait_for(2, timeout=1.5)
    assert len(events) == 1


def test_asyncio_exception_never_retrieved(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        import asyncio, gc
        async def fails():
            raise ConnectionError("nobody awaited me")
        async def main():
            task = asyncio.ensure_future(fails())
            await asyncio.sleep(0.01)
            del task
            gc.collect()
        asyncio.run(main())
        gc.collect()
        assert ez_pixel.flush_pixel(5)
    """), env={"KEY": KEY, "URL": ingest.url})
    assert "never retrieved" in result.stderr
    [event] = ingest.wait_for(1)
    assert event["type"] == "ConnectionError" and event["stack"][0]["fn"] == "fails"


def test_capture_logging_false_leaves_logging_alone(ingest, run_script):
    run_script(textwrap.dedent("""
        import os, logging, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], capture_logging=False)
        logging.getLogger("x").error("not captured")
        ez_pixel.flush_pixel(2)
    """), env={"KEY": KEY, "URL": ingest.url})
    assert ingest.wait_for(1, timeout=0.3) == []


def test_errors_logged_on_the_worker_thread_do_not_feed_back(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, logging, time, ez_pixel
        def noisy(event):
            logging.getLogger("app.hooks").error("before_send saw %s", event["type"])
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=noisy)
        ez_pixel.report_pixel("one")
        assert ez_pixel.flush_pixel(5)
        time.sleep(0.3)
        assert ez_pixel.flush_pixel(5)
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert "before_send saw Message" in result.stderr
    assert [e["message"] for e in ingest.delivered] == ["one"]


PATCHER = textwrap.dedent("""
    def patch(tag):
        # Another library wrapping Logger.callHandlers, as some APM and log shippers do.
        original = logging.Logger.callHandlers
        def wrapped(self, record):
            return original(self, record)
        logging.Logger.callHandlers = wrapped
""")


def test_the_logging_hook_never_stacks_when_another_library_patches_in_between(ingest,
                                                                              run_script):
    result = run_script(INIT + PATCHER + textwrap.dedent("""
        patch("after init")                      # wraps our hook: close cannot remove it
        ez_pixel.close_pixel()
        patch("between close and init")
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        logging.getLogger("app").error("logged once")
        ez_pixel.close_pixel(); patch("again")
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        logging.getLogger("app").error("logged once more")
        assert ez_pixel.flush_pixel(5)
        ez_pixel.close_pixel()
        logging.getLogger("app").error("after close: not captured")
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert sorted(event["message"] for event in ingest.wait_for(3, timeout=1.0)) == \
        ["logged once", "logged once more"]


def test_logging_imported_after_init_is_hooked_when_it_is_imported(ingest, run_script):
    # init_pixel does not import logging itself (a script that never logs does not pay for
    # it): the post-import hook wraps it the moment the application imports it.
    result = run_script(textwrap.dedent("""
        import os, sys, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        print("logging" in sys.modules)
        import logging
        logging.getLogger("late").error("imported after init")
        print(ez_pixel.flush_pixel(5))
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.stdout.split() == ["False", "True"], result.stderr
    assert [event["message"] for event in ingest.delivered] == ["imported after init"]


def test_a_record_whose_arguments_do_not_fit_is_still_sent(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        logging.getLogger("app").error("two %s and %s", "only one")
        print(ez_pixel.flush_pixel(5))
    """), env={"KEY": KEY, "URL": ingest.url})
    assert result.stdout.strip() == "True", result.stderr
    assert "--- Logging error ---" in result.stderr  # logging's own complaint, unchanged
    [event] = ingest.delivered
    assert event["message"] == "two %s and %s" and event["context"] == {"logger": "app"}
