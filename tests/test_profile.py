"""Learner profiles: validation with one-line messages, TOML files, and the stored (JSON-safe) form."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cpo_learn.content.model import STAGE_IDS
from cpo_learn.default_plugins.vocabulary import SKILLS
from cpo_learn.errors import CpoLearnError
from cpo_learn.planning.profile import (
    ProfileError,
    learner_slug,
    load_profile_toml,
    profile_from_mapping,
    profile_to_mapping,
)

SKILL_IDS = tuple(skill for skill, _, _ in SKILLS)
EXAMPLES = Path(__file__).resolve().parent.parent / "curricula" / "examples"
BASE: dict[str, Any] = {"name": "Ada", "stage": "starting-roles", "hours_per_week": 6}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stage": "mid-levle"}, "unknown stage 'mid-levle'; did you mean 'mid-level'?"),
        ({"target": "cop"}, "unknown target stage 'cop'; did you mean 'cpo'?"),
        ({"hours_per_week": 0}, "hours_per_week must be from 0.5 to 80 (got 0)"),
        ({"hours_per_week": 81}, "hours_per_week must be from 0.5 to 80 (got 81)"),
        ({"hours_per_week": -2}, "hours_per_week must be from 0.5 to 80 (got -2)"),
        ({"skills": {"analytics": 6}}, "skill 'analytics' rating must be a whole number from 0 to 5 (got 6)"),
        (
            {"skills": {"analytics": -1}},
            "skill 'analytics' rating must be a whole number from 0 to 5 (got -1)",
        ),
        ({"skills": {"analytic": 3}}, "unknown skill 'analytic'; did you mean 'analytics'?"),
        (
            {"start": "2026-05-01", "target_date": "2026-04-01"},
            "target_date 2026-04-01 is before the start date 2026-05-01",
        ),
        (
            {"stage": "mid-level", "target": "starting-roles"},
            "target stage 'starting-roles' comes before your current stage 'mid-level'",
        ),
        ({"start": "soon"}, "start must be a date like 2026-12-01 (got 'soon')"),
        ({"hours": 5}, "unknown profile key 'hours'; did you mean 'hours_per_week'?"),
        ({"name": " "}, "name is missing"),
        (
            {"background": {"degree": "enginering"}},
            "unknown degree 'enginering'; did you mean 'engineering'?",
        ),
        ({"experience": {"company_sizes": ["tiny"]}}, "unknown company_sizes value 'tiny'"),
        ({"resource_kinds": ["books"]}, "unknown resource_kinds value 'books'; did you mean 'book'?"),
    ],
)
def test_invalid_fields_are_one_line_errors(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_mapping({**BASE, **change}, STAGE_IDS, SKILL_IDS)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_defaults() -> None:
    profile = profile_from_mapping(BASE, STAGE_IDS, SKILL_IDS)
    assert (profile.target, profile.start, profile.target_date, profile.rating("analytics")) == (
        "cpo",
        None,
        None,
        0,
    )


def test_mapping_round_trips_and_is_json_safe() -> None:
    import json

    profile = load_profile_toml(EXAMPLES / "vp-product.toml", STAGE_IDS, SKILL_IDS)
    data = profile_to_mapping(profile)
    assert json.loads(json.dumps(data)) == data
    assert profile_from_mapping(data, STAGE_IDS, SKILL_IDS) == profile
    assert data["target_date"] == "2027-06-30" and profile.target_date == date(2027, 6, 30)


def test_toml_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("name = \n")
    with pytest.raises(CpoLearnError, match=r"broken\.toml: not valid TOML"):
        load_profile_toml(broken, STAGE_IDS, SKILL_IDS)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('name = "A"\nstage = "cpo"\nhours_per_week = 100\n')
    with pytest.raises(CpoLearnError, match=r"wrong.toml: hours_per_week must be from 0.5 to 80"):
        load_profile_toml(wrong, STAGE_IDS, SKILL_IDS)


def test_a_toml_file_with_a_byte_order_mark_and_windows_line_endings_reads(tmp_path: Path) -> None:
    path = tmp_path / "ada.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'name = "Ada"\r\nstage = "education"\r\nhours_per_week = 6\r\n')
    assert load_profile_toml(path, STAGE_IDS, SKILL_IDS).name == "Ada"


def test_plugin_stages_and_skills_are_accepted_when_given() -> None:
    profile = profile_from_mapping(
        {**BASE, "stage": "apprentice", "target": "apprentice", "skills": {"negotiation": 2}},
        stages=("apprentice", "cpo"),
        skills=("negotiation",),
    )
    assert profile.stage == "apprentice" and profile.rating("negotiation") == 2


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Ada Lovelace", "ada-lovelace"), ("../../etc", "etc"), ("???", "learner"),
     ("Zoë O'Neil", "zoe-o-neil")],
)
def test_learner_slug_is_file_safe(name: str, slug: str) -> None:
    assert learner_slug(name) == slug
