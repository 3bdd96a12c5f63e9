"""A hostile content pack: script in titles, bodies, outcomes, resources and URLs (for the HTML safety tests).

Every payload, if it ever ran, would set ``document.title`` to ``PWNED`` or add an element with id ``pwned``.
"""

from __future__ import annotations

import json
from pathlib import Path

SET_TITLE = "document.title='PWNED'"
ADD_ELEMENT = "document.body.appendChild(Object.assign(document.createElement('div'),{id:'pwned'}))"
TITLE = f'Evil <script>{SET_TITLE}</script><img src=x onerror="{ADD_ELEMENT}"> module'
BODY = f"""
<script>{SET_TITLE}</script>
<img src="x" onerror="{ADD_ELEMENT}">
<svg onload="{SET_TITLE}"><circle r="4"/></svg>
<iframe src="javascript:{SET_TITLE}"></iframe>
<a href="javascript:{SET_TITLE}">a javascript: link</a>
<a href="JaVaScRiPt:{SET_TITLE}">a mixed-case one</a>
<div onclick="{SET_TITLE}" onmouseover="{SET_TITLE}">hover me</div>
<style>body {{ display: none }}</style>
<meta http-equiv="refresh" content="0;url=javascript:{SET_TITLE}">
<object data="javascript:{SET_TITLE}"></object>
<input autofocus onfocus="{ADD_ELEMENT}">
<details open ontoggle="{ADD_ELEMENT}"><summary>x</summary></details>
<body onload="{SET_TITLE}">

[a markdown javascript: link](javascript:{SET_TITLE.replace("'", "")})

![an image](javascript:{SET_TITLE.replace("'", "")})
"""
NO_QUOTES = SET_TITLE.replace("'", "")
MODULE = f"""---
id: evil/xss
title: {json.dumps(TITLE)}
stage: starting-roles
kind: core
hours: 3
skills:
  leadership: 5
outcomes:
  - {json.dumps(f"<script>{SET_TITLE}</script> outcome")}
  - {json.dumps(f"<img src=x onerror={SET_TITLE}>")}
resources:
  - kind: book
    title: {json.dumps(f"<script>{SET_TITLE}</script>")}
    authors: [{json.dumps(f"<b onmouseover={SET_TITLE}>Mallory</b>")}]
    provider: {json.dumps(f"<script>{SET_TITLE}</script>")}
    url: {json.dumps(f'https://example.com/"onmouseover="{NO_QUOTES}')}
---
{BODY}
"""
MILESTONE = f"""---
id: evil/milestone
title: {json.dumps(f"<script>{SET_TITLE}</script> milestone")}
stage: starting-roles
criteria:
  - {json.dumps(f"<img src=x onerror={SET_TITLE}>")}
requires: [evil/xss]
evidence: {json.dumps(f"<script>{SET_TITLE}</script>")}
---
<script>{SET_TITLE}</script>
"""


def write_hostile_pack(root: Path) -> Path:
    """Write the pack under ``root/evil`` and return ``root`` (a plugins dir)."""
    pack = root / "evil"
    (pack / "modules").mkdir(parents=True)
    (pack / "milestones").mkdir()
    (pack / "pack.toml").write_text(
        'name = "evil"\nversion = "1.0"\ndescription = "Hostile."\nnamespace = "evil"\n'
    )
    (pack / "modules" / "xss.md").write_text(MODULE)
    (pack / "milestones" / "milestone.md").write_text(MILESTONE)
    return root


def generate_hostile(tmp_path: Path, learner_name: str, fmt: str) -> str:
    """The curriculum of a starting-roles learner called ``learner_name`` with the hostile pack installed."""
    from click.testing import CliRunner

    from cpo_learn.cli.main import cli

    plugins = write_hostile_pack(tmp_path / "plugins")
    profile = tmp_path / "hostile-profile.toml"
    profile.write_text(f'name = {json.dumps(learner_name)}\nstage = "starting-roles"\n'
                       'target = "starting-roles"\nhours_per_week = 5\n')
    result = CliRunner().invoke(cli, ["--plugins-dir", str(plugins), "--strict", "generate", "--profile",
                                      str(profile), "--today", "2026-01-05", "--format", fmt, "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout
