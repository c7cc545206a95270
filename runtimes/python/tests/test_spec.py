"""The SDK against spec/: every fingerprint vector, and the schema's own examples."""

import glob
import random
import json
import os
from types import SimpleNamespace

import pytest

from conftest import SPEC
from ez_pixel import fingerprint as fp
from ez_pixel import scrub
from ez_pixel.stack import pick_frame

with open(os.path.join(SPEC, "fingerprint-vectors.json"), encoding="utf-8") as _handle:
    _FILE = json.load(_handle)
VECTORS = _FILE["vectors"]
WELL_FORMED = [v for v in _FILE["well_formed"] if "python" in v.get("runtimes", ["python"])]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_fingerprint_vector(vector):
    data = vector["input"]
    sent = data["frames"][:data.get("frames_sent", len(data["frames"]))]
    picked = pick_frame([SimpleNamespace(**frame) for frame in sent])
    key = fp.key(data["kind"], data["type"], fp.well_formed(data["message"]), picked,
                 data["logger"])
    assert key == vector["key"]
    assert fp.fingerprint(key) == vector["fingerprint"]


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(SPEC, "events", "valid", "*.json"))),
                         ids=os.path.basename)
def test_schema_accepts_valid_examples(path, validator):
    with open(path) as handle:
        assert list(validator.iter_errors(json.load(handle))) == []


@pytest.mark.parametrize("path",
                         sorted(glob.glob(os.path.join(SPEC, "events", "invalid", "*.json"))),
                         ids=os.path.basename)
def test_schema_rejects_invalid_examples(path, validator):
    with open(path) as handle:
        assert list(validator.iter_errors(json.load(handle))) != []


@pytest.mark.parametrize("vector", WELL_FORMED, ids=[v["name"] for v in WELL_FORMED])
def test_well_formed_vector(vector):
    text = "".join(chr(point) for point in vector["code_points"])
    assert fp.well_formed(text) == vector["well_formed"]


def test_surrogate_escapes_hash_as_replacement_character():
    assert fp.fingerprint("a\udc80") == fp.fingerprint("a\ufffd")


with open(os.path.join(SPEC, "scrub-vectors.json"), encoding="utf-8") as _handle:
    SCRUB = json.load(_handle)


@pytest.mark.parametrize("vector", SCRUB["texts"], ids=[v["name"] for v in SCRUB["texts"]])
def test_scrub_text_vector(vector):
    assert scrub.text(vector["input"]) == vector["expected"]


@pytest.mark.parametrize("vector", SCRUB["contexts"], ids=[v["name"] for v in SCRUB["contexts"]])
def test_scrub_context_vector(vector):
    given = json.loads(json.dumps(vector["input"]))
    assert scrub.context(given) == vector["expected"]
    assert given == vector["input"]  # the application's dict is not changed


@pytest.mark.parametrize("vector", SCRUB["events"], ids=[v["name"] for v in SCRUB["events"]])
def test_scrub_event_vector(vector):
    assert scrub.event(json.loads(json.dumps(vector["input"]))) == vector["expected"]


def test_scrub_text_equals_the_plain_pattern_on_random_text():
    # scrub.text only runs the pattern near each "@" (for speed): it must find exactly what
    # re.sub over the whole text finds, long local parts and runs of "@" included.
    rng = random.Random(11)
    alphabet = "ab.@-_%+ 9Z\u00e9x"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        if rng.random() < 0.3:
            text += "a" * rng.randint(60, 70) + "@" + "b.c" * rng.randint(1, 10) + "om"
        assert scrub.text(text) == scrub._EMAIL.sub(scrub.REPLACEMENT, text), repr(text)
