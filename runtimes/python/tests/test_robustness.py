"""Regression tests from the SDK review: inputs and hooks that must neither raise into the app,
stop the worker, lose events silently, nor leak events to other local users."""
import os
import stat
import textwrap

from test_hooks import INIT, env


def test_an_infinite_flush_timeout_still_flushes_and_close_unhooks(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        ez_pixel.report_pixel("inf")
        print(ez_pixel.flush_pixel(float("inf")))
        ez_pixel.close_pixel()
        print(sys.excepthook is sys.__excepthook__)
    """), env=env(ingest))
    assert result.stdout.split() == ["True", "True"], result.stderr
    assert result.stderr == ""


def test_before_send_raising_system_exit_does_not_stop_the_worker(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, sys, ez_pixel
        def hook(event):
            sys.exit(3)
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        ez_pixel.report_pixel("one")
        ez_pixel.report_pixel("two")
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    assert sorted(event["message"] for event in ingest.delivered) == ["one", "two"]
    assert result.stderr.count("before_send raised") == 1


def test_context_is_copied_at_report_time_and_cycles_still_deliver(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        d = {"step": 1}
        ez_pixel.report_pixel("copied", context=d)
        d.clear(); d["step"] = 2
        cyclic = {}; cyclic["self"] = cyclic
        ez_pixel.report_pixel("cyclic", context=cyclic)
        ez_pixel.report_pixel("tuple keys", context={(1, 2): 3})
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    by_message = {event["message"]: event for event in ingest.delivered}
    assert by_message["copied"]["context"] == {"step": 1}
    assert "_unserializable" in by_message["cyclic"]["context"]
    assert "_unserializable" in by_message["tuple keys"]["context"]


def test_python_dash_i_is_left_alone(ingest, run_script):
    # With -i the REPL starts after the script's uncaught error: that is not a crash.
    result = run_script(INIT + "1 / 0\n", env=env(ingest), args=("-i",), stdin="")
    assert "ZeroDivisionError" in result.stderr
    assert ingest.wait_for(1, timeout=0.5) == []


def test_spooled_events_are_private_to_the_user(closed_url, run_script):
    result = run_script(INIT + "ez_pixel.report_pixel('spooled')\n",
                        env={"KEY": "pk_test_" + "c3" * 16, "URL": closed_url}, backoff="0.001")
    assert result.returncode == 0, result.stderr
    files = [os.path.join(root, name) for root, _, names in os.walk(str(run_script.cache))
             for name in names]
    assert files, result.stderr
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700

