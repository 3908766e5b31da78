"""The transport traits file against its JSON Schema: the committed file validates, and the schema refuses
what it must (non-canonical keys, unknown verification methods, scalars where arrays belong)."""
import copy
import json
import pathlib

import jsonschema
import pytest

CONFIG = pathlib.Path(__file__).resolve().parent.parent.parent / "config"
TRAITS = json.loads((CONFIG / "provider_traits.json").read_text())
SCHEMA = json.loads((CONFIG / "schemas" / "provider_traits.schema.json").read_text())


def test_the_committed_traits_validate():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(TRAITS, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert set(TRAITS["transports"]) == {"test", "asterisk", "freeswitch", "phaxio", "sinch", "signalwire", "humblefax"}


def _mutated(change):
    doc = copy.deepcopy(TRAITS)
    change(doc["transports"]["phaxio"])
    return doc


@pytest.mark.parametrize("change", [
    lambda t: t["webhook"].__setitem__("verification", "sha512"),
    lambda t: t["auth"].__setitem__("methods", "api_key_secret"),
    lambda t: t.__setitem__("regions", "us"),
    lambda t: t.__setitem__("webhookVerification", "hmac_sha1"),
    lambda t: t["webhook"].pop("verify_header"),
    lambda t: t.__setitem__("kind", "hosted"),
])
def test_the_schema_refuses_non_canonical_traits(change):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_mutated(change), SCHEMA, cls=jsonschema.Draft202012Validator)
