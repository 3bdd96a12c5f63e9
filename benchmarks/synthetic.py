"""Synthetic content and homes for the benchmarks: big catalogs from many packs, homes with many learners."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

STAGES = ("education", "starting-roles", "mid-level", "leadership", "cpo")
SKILLS = ("strategic-thinking", "customer-centricity", "technical-expertise", "leadership", "communication",
          "analytics", "resilience", "empathy")


def write_catalog(root: Path, modules: int, plugins: int = 50, seed: int = 7) -> list[Path]:
    """Write ``plugins`` data-only packs holding ``modules`` modules in all, with prerequisites inside each pack.

    Returns the pack folders. Deterministic for a given seed.
    """
    rng = random.Random(seed)
    per_pack = modules // plugins
    packs = []
    for p in range(plugins):
        name = f"bench{p:02d}"
        pack = root / name
        (pack / "modules").mkdir(parents=True, exist_ok=True)
        (pack / "pack.toml").write_text(f'name = "{name}"\nversion = "1.0.0"\nnamespace = "{name}"\n')
        ids: list[tuple[str, int]] = []
        for m in range(per_pack):
            stage_index = m * len(STAGES) // per_pack
            ident = f"{name}/module-{m:04d}"
            earlier = [i for i, s in ids if s <= stage_index]
            prereqs = rng.sample(earlier[-20:], k=min(len(earlier[-20:]), rng.randint(0, 2)))
            skills = rng.sample(SKILLS, k=rng.randint(1, 3))
            level = min(5, stage_index + rng.randint(1, 2))
            skill_lines = "\n".join(f"  {s}: {level}" for s in skills)
            kind = "core" if rng.random() < 0.3 else "elective"
            text = (
                f"---\nid: {ident}\ntitle: Synthetic module {m} of {name}\nstage: {STAGES[stage_index]}\n"
                f"kind: {kind}\nhours: {rng.randint(2, 20)}\nskills:\n{skill_lines}\n"
                f"prerequisites: [{', '.join(prereqs)}]\n"
                "outcomes:\n  - Do the first thing well.\n  - Explain the second thing to a colleague.\n"
                "resources:\n  - kind: book\n    title: A book\n    authors: [Someone]\n    year: 2020\n"
                "    url: https://example.org/book\n    cost: paid\n"
                "  - kind: article\n    title: An article\n    url: https://example.org/article\n    cost: free\n"
                f"---\n## Why it matters\nSynthetic body text for {ident}.\n\n## What to do\n1. Read.\n"
                "2. Practise.\n\n## Reflect\nWhat changed?\n"
            )
            (pack / "modules" / f"module-{m:04d}.md").write_text(text)
            ids.append((ident, stage_index))
        packs.append(pack)
    return packs


def learner_document(name: str, events: int, stage: str = "education") -> dict[str, object]:
    """A learner file's content as the tracker writes it: a profile and ``events`` completed events."""
    docs = {
        str(n + 1): {"id": str(uuid.uuid4()), "type": "completed", "target": f"education/module-{n}",
                     "timestamp": f"2026-01-01T00:00:00.{n:06d}Z", "note": None, "plugin": "education",
                     "on": None, "reason": None, "evidence": None, "reverses": None}
        for n in range(events)
    }
    profile = {"1": {"name": name, "stage": stage, "target": "cpo", "hours_per_week": 5, "start": "2026-01-05"}}
    return {"profile": profile, "events": docs}


def fill_home(home: Path, learners: int, events: int) -> None:
    """Write ``learners`` learner files straight to disk in the store's format (fresh ids for each)."""
    from cpo_learn.tracking.store import serialise

    folder = home / "learners"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(learners):
        document = learner_document(f"learner {n:05d}", events)
        (folder / f"learner-{n:05d}.json").write_bytes(serialise(json.loads(json.dumps(document))))
