"""Django, Flask, FastAPI and Starlette, installed from PyPI, in real processes: a 500 is
exactly one event holding the view's frame; 4xx are not reported; no code beyond init_pixel."""

import textwrap

import pytest

from conftest import KEY

INIT = "import os, ez_pixel\nez_pixel.init_pixel(os.environ['KEY'], os.environ['URL'])\n"

DJANGO_APP = """
import django
from django.conf import settings
settings.configure(DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], SECRET_KEY="x",
                   MIDDLEWARE=[])
from django.http import Http404
from django.urls import path

def boom_view(request):
    raise ZeroDivisionError("django view failed")

def missing_view(request):
    raise Http404("nope")

urlpatterns = [path("boom", boom_view), path("missing", missing_view)]
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
print(client.get("/boom").status_code, client.get("/missing").status_code)
"""

FLASK_APP = """
from flask import Flask, abort
app = Flask(__name__)

@app.route("/boom")
def boom_view():
    raise ZeroDivisionError("flask view failed")

@app.route("/missing")
def missing_view():
    abort(404)

client = app.test_client()
print(client.get("/boom").status_code, client.get("/missing").status_code)
"""

FASTAPI_APP = """
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
app = FastAPI()

@app.get("/boom")
def boom_view():
    raise ZeroDivisionError("fastapi view failed")

@app.get("/missing")
async def missing_view():
    raise HTTPException(status_code=404)

client = TestClient(app, raise_server_exceptions=False)
print(client.get("/boom").status_code, client.get("/missing").status_code)
"""

STARLETTE_APP = """
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.testclient import TestClient

async def boom_view(request):
    raise ZeroDivisionError("starlette view failed")

async def missing_view(request):
    raise HTTPException(status_code=404)

app = Starlette(routes=[Route("/boom", boom_view), Route("/missing", missing_view)])
client = TestClient(app, raise_server_exceptions=False)
print(client.get("/boom").status_code, client.get("/missing").status_code)
"""

FLUSH = "\nassert ez_pixel.flush_pixel(5)\n"


@pytest.mark.parametrize("name,app,import_first", [
    ("django", DJANGO_APP, False),
    ("django", DJANGO_APP, True),
    ("flask", FLASK_APP, False),
    ("flask", FLASK_APP, True),
    ("fastapi", FASTAPI_APP, False),
    ("starlette", STARLETTE_APP, True),
], ids=["django", "django-imported-first", "flask", "flask-imported-first", "fastapi",
        "starlette-imported-first"])
def test_a_500_is_exactly_one_event_with_the_view_frame(ingest, run_script, validator, name, app,
                                                      import_first):
    # import_first: the framework is imported before init_pixel (hooked at once); otherwise
    # it is imported after (hooked by the post-import hook). The imported-first runs also
    # turn the logging integration off, to show the framework hook alone reports the 500.
    prelude = "import %s\n" % name if import_first else ""
    init = INIT.replace("os.environ['URL'])", "os.environ['URL'], capture_logging=False)") \
        if import_first else INIT
    result = run_script(prelude + init + textwrap.dedent(app) + FLUSH,
                        env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "404"]
    events = ingest.wait_for(2, timeout=1.0)
    assert len(events) == 1, [e["message"] for e in events]
    [event] = events
    assert event["type"] == "ZeroDivisionError" and event["level"] == "error"
    assert event["manual_report"] is False
    assert {"file": "app.py", "fn": "boom_view", "in_app": True}.items() <= \
        event["stack"][0].items()
    assert list(validator.iter_errors(event)) == []


def test_close_unhooks_the_frameworks(ingest, run_script):
    result = run_script(INIT + "ez_pixel.close_pixel()\n" + textwrap.dedent(FLASK_APP) +
                        textwrap.dedent(STARLETTE_APP) + "\nimport flask.signals as s\n"
                        "assert not s.got_request_exception.receivers\n",
                        env={"KEY": KEY, "URL": ingest.url})
    assert result.returncode == 0, result.stderr
    assert ingest.wait_for(1, timeout=0.5) == []
