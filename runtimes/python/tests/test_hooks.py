"""sys.excepthook, threading.excepthook, re-initialisation and close, in real processes."""

import textwrap

from conftest import KEY

INIT = "import os, sys, ez_pixel\nez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"


def env(ingest):
    return {"KEY": KEY, "URL": ingest.url}


def test_uncaught_exception_is_fatal_and_the_traceback_and_exit_code_stay(ingest, run_script,
                                                                          validator):
    result = run_script(INIT + textwrap.dedent("""
        def explode():
            raise ValueError("boom")
        explode()
    """), env=env(ingest))
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "ValueError: boom" in result.stderr
    [event] = ingest.wait_for(1)
    assert event["level"] == "fatal" and event["type"] == "ValueError"
    assert event["manual_report"] is False
    assert event["stack"][0]["fn"] == "explode" and event["stack"][0]["file"] == "app.py"
    assert event["stack"][0]["in_app"] is True
    assert event["code_context"]["lines"][event["code_context"]["error_line"] -
                                          event["code_context"]["start_line"]].strip() == \
        'raise ValueError("boom")'
    assert list(validator.iter_errors(event)) == []


def test_keyboard_interrupt_and_system_exit_are_not_reported(ingest, run_script):
    interrupted = run_script(INIT + "raise KeyboardInterrupt\n", env=env(ingest))
    assert interrupted.returncode != 0 and "KeyboardInterrupt" in interrupted.stderr
    exited = run_script(INIT + "sys.exit(3)\n", env=env(ingest))
    assert exited.returncode == 3
    assert ingest.wait_for(1, timeout=0.5) == []


def test_the_interactive_repl_is_left_alone(ingest, run_script):
    # In a REPL sys.ps1 exists and every typo would reach sys.excepthook.
    result = run_script(INIT + textwrap.dedent("""
        sys.ps1 = ">>> "
        try:
            1 / 0
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
        del sys.ps1
        ez_pixel.flush_pixel(2)
    """), env=env(ingest))
    assert "ZeroDivisionError" in result.stderr
    assert ingest.wait_for(1, timeout=0.5) == []


def test_thread_exception_is_an_error_and_the_previous_hook_runs(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        import threading
        def work():
            raise RuntimeError("in a thread")
        t = threading.Thread(target=work)
        t.start(); t.join()
        print("main continues")
        assert ez_pixel.flush_pixel(5)
    """), env=env(ingest))
    assert result.returncode == 0, result.stderr
    assert "main continues" in result.stdout
    assert "RuntimeError: in a thread" in result.stderr  # threading's own hook still printed
    [event] = ingest.wait_for(1)
    assert event["level"] == "error" and event["stack"][0]["fn"] == "work"


def test_a_second_init_reconfigures_without_stacking_hooks(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, sys, threading, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], environment="first")
        hook = sys.excepthook
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], environment="second")
        assert sys.excepthook is hook, "a second hook was stacked"
        import logging
        wrapped = logging.Logger.callHandlers.__ez_pixel_original__
        assert not hasattr(wrapped, "__ez_pixel_original__"), "logging was wrapped twice"
        raise ValueError("once")
    """), env=env(ingest))
    assert result.returncode == 1
    events = ingest.wait_for(2, timeout=2)
    assert len(events) == 1 and events[0]["environment"] == "second"


def test_close_restores_every_previous_hook(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, sys, threading, logging, ez_pixel
        before = (sys.excepthook, threading.excepthook, list(logging.getLogger().handlers),
                  list(sys.meta_path), logging.Logger.callHandlers)
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        assert sys.excepthook is not before[0] and threading.excepthook is not before[1]
        ez_pixel.close_pixel()
        after = (sys.excepthook, threading.excepthook, list(logging.getLogger().handlers),
                 list(sys.meta_path), logging.Logger.callHandlers)
        assert after == before, (before, after)
        assert ez_pixel.report_pixel("after close") is None
        raise ValueError("not reported")
    """), env=env(ingest))
    assert result.returncode == 1 and "ValueError: not reported" in result.stderr
    assert "AssertionError" not in result.stderr
    assert ingest.wait_for(1, timeout=0.5) == []


def test_previous_custom_hook_is_called(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, sys, ez_pixel
        def custom(t, v, tb):
            print("custom hook saw", t.__name__)
        sys.excepthook = custom
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        raise LookupError("x")
    """), env=env(ingest))
    assert "custom hook saw LookupError" in result.stdout
    assert len(ingest.wait_for(1)) == 1


def test_reported_manually_then_uncaught_is_sent_once(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        try:
            raise ValueError("reported, then re-raised")
        except ValueError as error:
            ez_pixel.report_pixel("noted", error=error)
            raise
    """), env=env(ingest))
    assert result.returncode == 1
    events = ingest.wait_for(2, timeout=1.0)
    assert len(events) == 1
    assert events[0]["manual_report"] is True and events[0]["context"] == {"report_message": "noted"}


def test_a_second_init_takes_over_at_once_and_the_old_client_finishes_behind(
        ingest, blackhole_url, run_script):
    from test_exit import exit_wait, timed
    result = run_script(timed(textwrap.dedent("""
        import os, time, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['OLD'], shutdown_timeout=3.0)
        ez_pixel.report_pixel("to the old ingest")
        started = time.monotonic()
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        took = time.monotonic() - started
        ez_pixel.report_pixel("to the new ingest")
        print(ez_pixel.flush_pixel(5), took < 0.5)
    """)), env=dict(env(ingest), OLD=blackhole_url))
    assert result.stdout.split()[:2] == ["True", "True"], result.stderr
    assert [event["message"] for event in ingest.delivered] == ["to the new ingest"]
    # The old client used the rest of its 3 s at exit, then spooled what it could not send (a
    # wall-clock lower bound, which load only lengthens; the upper one on the exit wait alone).
    assert 2.0 < result.duration and exit_wait(result) < 3.0 + 0.9
    from test_exit import spool_dir
    import json
    import os
    [name] = os.listdir(spool_dir(run_script))
    with open(os.path.join(spool_dir(run_script), name)) as handle:
        assert json.load(handle)["message"] == "to the old ingest"
