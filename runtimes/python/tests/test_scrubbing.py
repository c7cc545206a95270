"""The default scrubber (spec/scrubbing.md) end to end: what leaves the process, in real
processes against the test ingest. The rules themselves are checked against the shared vectors
in test_spec.py."""

import textwrap

from test_hooks import env

SQL_ERROR = textwrap.dedent("""
    class IntegrityError(Exception):
        pass
    def insert(email):
        try:
            raise KeyError("duplicate")
        except KeyError:
            raise IntegrityError("duplicate key value: Key (email)=(%s) already exists" % email)
""")


def run_reports(run_script, ingest, init_args=""):
    return run_script(textwrap.dedent("""
        import os, ez_pixel
        seen = []
        def hook(event):
            seen.append(event["message"])
            event["context"]["added_by_hook"] = "ops" + "@example.com"
            return event
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'], before_send=hook%s)
    """ % init_args) + SQL_ERROR + textwrap.dedent("""
        # Built at run time: the source lines (code context) are never scrubbed, by the spec.
        for email in ("ann" + "@example.com", "bob" + "@example.org"):
            try:
                insert(email)
            except IntegrityError as error:
                ez_pixel.report_pixel("signup failed for " + email, error, context={
                    "request": {"headers": {"Authorization": "Bearer abc", "X-Id": "7"}},
                    "db_password": "hunter2", "user": {"email": email, "id": 7}})
        print(ez_pixel.flush_pixel(5), "@" in "".join(seen))
    """), env=env(ingest))


def test_addresses_and_credentials_never_leave_the_process(ingest, run_script):
    result = run_reports(run_script, ingest)
    assert result.stdout.split() == ["True", "False"], result.stderr  # the hook saw it scrubbed
    events = ingest.delivered
    assert len(events) == 2
    for event in events:
        assert event["message"] == \
            "duplicate key value: Key (email)=([scrubbed]) already exists"
        assert event["context"] == {
            "request": {"headers": {"Authorization": "[scrubbed]", "X-Id": "7"}},
            "db_password": "[scrubbed]", "user": {"email": "[scrubbed]", "id": 7},
            "report_message": "signup failed for [scrubbed]",
            "added_by_hook": "ops@example.com"}  # what the hook adds is sent as it returns it
    raw = b"".join(request["raw"] for request in ingest.requests)
    assert b"ann@example.com" not in raw and b"hunter2" not in raw and b"Bearer" not in raw
    # Scrubbed before the fingerprint: two messages differing by an address are one group.
    assert events[0]["fingerprint"] == events[1]["fingerprint"]


def test_scrub_false_sends_the_data_as_given(ingest, run_script):
    result = run_reports(run_script, ingest, ", scrub=False")
    assert result.stdout.split() == ["True", "True"], result.stderr
    by_user = {event["context"]["user"]["email"]: event for event in ingest.delivered}
    assert sorted(by_user) == ["ann@example.com", "bob@example.org"]
    assert by_user["ann@example.com"]["context"]["db_password"] == "hunter2"
    assert "(ann@example.com)" in by_user["ann@example.com"]["message"]


def test_a_logged_message_and_a_500_are_scrubbed_too(ingest, run_script):
    result = run_script(textwrap.dedent("""
        import logging, os, ez_pixel
        ez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])
        logging.getLogger("mail").error("bounce from %s", "carol@example.net")
        from flask import Flask
        app = Flask(__name__)
        @app.route("/u/<email>")
        def view(email):
            raise LookupError("no user " + email)
        app.test_client().get("/u/dave@example.com?token=querysecret")
        print(ez_pixel.flush_pixel(5))
    """), env=env(ingest))
    assert result.stdout.strip() == "True", result.stderr
    by_type = {event["type"]: event for event in ingest.wait_for(2)}
    assert by_type["Message"]["message"] == "bounce from [scrubbed]"
    assert by_type["LookupError"]["message"] == "no user [scrubbed]"
    assert by_type["LookupError"]["context"]["request"]["path"] == "/u/[scrubbed]"
