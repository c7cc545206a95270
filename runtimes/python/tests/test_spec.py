"""The SDK against spec/: every fingerprint vector, and the schema's own examples."""

import glob
import json
import os
from types import SimpleNamespace

import pytest

from conftest import SPEC
from ez_pixel import fingerprint as fp
from ez_pixel.stack import pick_frame

with open(os.path.join(SPEC, "fingerprint-vectors.json")) as _handle:
    VECTORS = json.load(_handle)["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_fingerprint_vector(vector):
    data = vector["input"]
    picked = pick_frame([SimpleNamespace(**frame) for frame in data["frames"]])
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


def test_surrogate_escapes_hash_as_replacement_character():
    assert fp.fingerprint("a\udc80") == fp.fingerprint("a\ufffd")
