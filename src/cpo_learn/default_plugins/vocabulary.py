"""The shared vocabulary of the path: the eight skills a CPO needs and the practices of the role.

These ids are part of the product's contract (DESIGN section 2), so every content plugin can rely on them;
packs may add their own skills and practices in ``skills/`` and ``practices/`` folders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpo_learn import hookimpl

if TYPE_CHECKING:
    from cpo_learn.content.registry import Registry

SKILLS: tuple[tuple[str, str, str], ...] = (
    ("strategic-thinking", "Strategic thinking",
     "Choosing where to play and how to win, and saying no to the rest."),
    ("customer-centricity", "Customer-centric mindset",
     "Grounding decisions in evidence about customers' problems, not opinions."),
    ("technical-expertise", "Technical expertise",
     "Understanding how software is built, run and scaled well enough to make sound trade-offs."),
    ("leadership", "Leadership and team management",
     "Hiring, coaching and organising people so teams own outcomes."),
    ("communication", "Communication and collaboration",
     "Aligning people across functions, in writing and in the room."),
    ("analytics", "Analytical skills",
     "Working with data, KPIs and experiments to know what is true."),
    ("resilience", "Resilience and adaptability",
     "Making good decisions under uncertainty and recovering from misses."),
    ("empathy", "Empathy",
     "Understanding the people you build for and the people you build with."),
)

PRACTICES: tuple[tuple[str, str, str], ...] = (
    ("product-development-oversight", "Overseeing product development",
     "Keeping what is built, and how, tied to the strategy: roadmaps, trade-offs, quality and delivery."),
    ("market-competitor-analysis", "Market and competitor analysis",
     "Knowing the market's size, segments and trends and what competitors do, well enough to position against them."),
    ("customer-discovery", "Customer discovery",
     "Finding out, with real customers and evidence, which problems are worth solving."),
    ("ideation", "Brainstorming and ideation",
     "Generating and shaping many solution ideas before committing to one."),
    ("stakeholder-management", "Stakeholder management",
     "Keeping executives, partners and other teams informed, aligned and on your side."),
    ("kpi-review", "KPI review",
     "Reviewing the product's key metrics on a rhythm and acting on what they show."),
    ("mentoring", "Team mentorship",
     "Helping other product people grow through coaching, feedback and sponsorship."),
    ("cross-functional-collaboration", "Cross-functional collaboration",
     "Working as one team with engineering, design, marketing, sales and support."),
    ("risk-management", "Risk management",
     "Spotting value, usability, feasibility and business risks early and reducing them."),
    ("strategic-planning", "Strategic planning",
     "Turning vision into goals, bets and a plan for the year and the quarter."),
    ("feedback-loops", "Feedback loops",
     "Building channels that bring what customers and the team learn back into decisions quickly."),
)


@hookimpl
def cpo_learn_register_content(registry: Registry) -> None:
    """Register the eight skills and the practices of the CPO role."""
    for skill_id, title, description in SKILLS:
        registry.add_skill(id=skill_id, title=title, description=description)
    for practice_id, title, description in PRACTICES:
        registry.add_practice(id=practice_id, title=title, description=description)


# What the hook registers is this module's constants alone: the catalog cache keys on this file instead of
# calling it (host/plugins.py: _static_source). Keep it so, or drop the mark.
cpo_learn_register_content.cpo_learn_static_content = True  # type: ignore[attr-defined]
