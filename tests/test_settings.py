"""Settings: one declared table, environment overrides, clear errors, and all documented."""

from __future__ import annotations

import pytest
from conftest import ROOT

from parallax.errors import ConfigError
from parallax.settings import SETTINGS, load


def test_defaults_env_and_overrides():
    assert load({}).summary_words == 120
    assert load({"PARALLAX_SUMMARY_WORDS": "80"}).summary_words == 80
    assert load({"PARALLAX_ALLOW_PRIVATE_NETWORKS": "yes"}).allow_private_networks is True
    assert load({"PARALLAX_SUMMARY_WORDS": "80"}, summary_words=50).summary_words == 50


def test_bad_values_fail_clearly():
    with pytest.raises(ConfigError, match="PARALLAX_SUMMARY_WORDS"):
        load({"PARALLAX_SUMMARY_WORDS": "many"})
    with pytest.raises(ConfigError, match="unknown setting"):
        load({}, no_such_thing=1)


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text()
    missing = [s.name for s in SETTINGS if f"PARALLAX_{s.name.upper()}" not in doc]
    assert not missing, f"undocumented settings: {missing}"
