"""``cpo_learn.testing``: the helpers plugin authors' tests use."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

import cpo_learn
from cpo_learn.testing import CommandFailed, isolated, registered, run, run_json, sample_learner, sample_profile


def test_isolated_points_home_and_cache_at_the_folder_and_restores_the_environment(tmp_path: Path,
                                                                                    monkeypatch: pytest.MonkeyPatch
                                                                                    ) -> None:
    monkeypatch.setenv("CPO_LEARN_DISABLE_PLUGINS", "cpo")
    before = {k: v for k, v in os.environ.items() if k.startswith("CPO_LEARN_")}
    with isolated(tmp_path / "t") as home:
        assert os.environ["CPO_LEARN_HOME"] == str(home) == str(tmp_path / "t" / "home")
        assert "CPO_LEARN_DISABLE_PLUGINS" not in os.environ
        assert "cpo" in [s["id"] for s in run_json("stages", "--json")]
    assert {k: v for k, v in os.environ.items() if k.startswith("CPO_LEARN_")} == before


def test_registered_loads_a_plugin_in_process(tmp_path: Path) -> None:
    plugin = types.ModuleType("acme_in_process")

    @cpo_learn.hookimpl
    def cpo_learn_register_content(registry: cpo_learn.api.Registry) -> None:
        registry.add_module(id="acme/x", title="X", stage="mid-level", kind="core", hours=3,
                            skills={"analytics": 3})

    plugin.cpo_learn_register_content = cpo_learn_register_content  # type: ignore[attr-defined]
    with isolated(tmp_path), registered(plugin, "acme"):
        plugins = {p["name"]: p for p in run_json("--strict", "plugins", "--json")}
        assert plugins["acme"]["source"] == "test" and plugins["acme"]["registered"] == {"modules": 1}
    with isolated(tmp_path):
        assert "acme" not in {p["name"] for p in run_json("plugins", "--json")}


def test_run_raises_with_the_output_and_a_sample_learner_and_profile_plan(tmp_path: Path) -> None:
    with isolated(tmp_path):
        with pytest.raises(CommandFailed, match="exited 1"):
            run("show", "nowhere/at-all")
        assert run("show", "nowhere/at-all", expect=1).exit_code == 1
        assert sample_learner(stage="leadership") == "sam-sample"
        assert run_json("progress", "--json")["learner"] == "sam-sample"
        profile = sample_profile(tmp_path / "p.toml", stage="education", target="mid-level")
        plan = run_json("generate", "--profile", str(profile), "--format", "json", "-o", "-")
        assert plan["profile"]["stage"] == "education"
