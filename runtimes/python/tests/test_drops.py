"""Events that used to be dropped with only a debug line: each is now sent, with a marker where
something could not be serialised or read, and one warning. flush_pixel is False for an event
that really was dropped. Real processes against the test ingest."""

import textwrap

from test_hooks import INIT, env

DEEP = "def deep(n):\n    d = {}\n    for _ in range(n):\n        d = {'d': d}\n    return d\n"


def test_a_context_990_levels_deep_is_sent_with_a_marker(ingest, run_script):
    # With the scrubber off, nothing else bounds the depth: the encoder would recurse ~990 deep.
    result = run_script(textwrap.dedent("""
        import os, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], scrub=False)
    """) + DEEP + textwrap.dedent("""
        ez_pixel.report_pixel("deep", context=deep(990))
        ez_pixel.report_pixel("deep again", context=deep(990))
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    events = sorted(ingest.delivered, key=lambda event: event["message"])
    assert [event["message"] for event in events] == ["deep", "deep again"]
    for event in events:
        assert "levels deep" in event["context"]["_unserializable"]
    assert result.stderr.count("context cannot be serialised") == 1, result.stderr


def test_with_the_default_scrubber_a_deep_context_is_cut_at_level_64(ingest, run_script):
    result = run_script(INIT + DEEP + textwrap.dedent("""
        ez_pixel.report_pixel("deep", context=deep(990))
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    [event] = ingest.delivered
    level, node = 1, event["context"]
    while isinstance(node, dict):
        level, node = level + 1, node["d"]
    assert (level, node) == (65, "[scrubbed]")


def test_a_context_whose_iteration_raises_is_sent_with_a_marker(ingest, run_script):
    result = run_script(INIT + textwrap.dedent("""
        class Hostile(dict):
            def keys(self):
                raise RuntimeError("no keys")
            def __iter__(self):
                raise RuntimeError("no iteration")
        print(ez_pixel.report_pixel("hostile", context=Hostile(a=1)) is not None)
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.split() == ["True", "True"], result.stderr
    [event] = ingest.delivered
    assert "no" in event["context"]["_unserializable"]


def test_before_send_adding_deep_nesting_sends_the_event_unchanged(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import os, ez_pixel
    """) + DEEP + textwrap.dedent("""
        def hook(event):
            event["context"] = deep(5000)
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook)
        ez_pixel.report_pixel("one", context={"kept": 1})
        ez_pixel.report_pixel("two")
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    by_message = {event["message"]: event for event in ingest.delivered}
    assert sorted(by_message) == ["one", "two"]
    assert by_message["one"]["context"] == {"kept": 1}
    assert "context" not in by_message["two"]
    assert result.stderr.count("before_send returned an event that cannot be serialised "
                               "(nested more than 100 levels deep); sending the event "
                               "unchanged") == 1, result.stderr


HOSTILE = textwrap.dedent("""
    class Hostile(Exception):
        def __getattribute__(self, name):
            raise RuntimeError("no attributes")
    def fail():
        raise Hostile("boom")
""")


def test_an_exception_whose_attribute_access_raises_is_reported(ingest, run_script):
    result = run_script(INIT + HOSTILE + textwrap.dedent("""
        try:
            try:
                {}["k"]
            except KeyError:
                fail()
        except Exception as error:
            print(ez_pixel.report_pixel("caught", error) is not None)
        print(ez_pixel.flush_pixel(5))
        fail()
    """), env=env(ingest))
    assert result.returncode == 1
    assert result.stdout.split() == ["True", "True"], result.stderr
    events = ingest.wait_for(2)
    assert [event["type"] for event in events] == ["Hostile", "Hostile"]
    assert [event["level"] for event in events] == ["error", "fatal"]
    assert events[0]["stack"][0]["fn"] == "fail"
    assert events[0]["cause"][0]["type"] == "KeyError"
    assert result.stderr.count("reading the attributes of a Hostile raised") == 1, result.stderr


def test_flush_is_false_for_an_event_that_could_not_be_built(ingest, run_script):
    # Fault injection: the builder itself fails on the worker.
    result = run_script(INIT + textwrap.dedent("""
        from ez_pixel import event
        def broken(*args):
            raise RuntimeError("injected")
        event.build = broken
        print(ez_pixel.report_pixel("lost") is not None)
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.split() == ["True", "False"], result.stderr
    assert "could not build or send an event (RuntimeError('injected')); it was dropped" \
        in result.stderr
    assert ingest.delivered == []
