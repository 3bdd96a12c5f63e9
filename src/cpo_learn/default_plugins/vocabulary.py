"""The shared vocabulary of the path: the eight skills a CPO needs, what each level of them looks like, and the
practices of the role.

These ids are part of the product's contract (DESIGN section 2), so every content plugin can rely on them;
packs may add their own skills and practices in ``skills/`` and ``practices/`` folders.

The level statements say what a person at levels 1-5 of a skill does, so that two learners who rate
themselves 3 mean the same thing. They are this project's own wording of what the published product ladders
agree on (the UK government's DDaT framework, SFIA's generic levels, Ravi Mehta's competency toolkit, the
GitLab and open PM career ladders): the scope a person carries grows from a task to a feature, a product,
several teams, the product function and the company; the horizon from a sprint to a quarter, a year and
several years; and the person goes from needing guidance, to working alone, to setting the standard for
others. Level 1 is where education leaves a learner, 2 a first product role, 3 a product manager who owns a
product, 4 a product leader (director, VP) and 5 a chief product officer.
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

LEVELS: dict[str, tuple[str, str, str, str, str]] = {
    "strategic-thinking": (
        "Explains the strategy of a product they use or study: who it serves, how it makes money and what it "
        "chose not to do.",
        "Links each feature they work on to a goal of their team's strategy, and asks why when the link is "
        "missing.",
        "Writes the vision and strategy of their own product for the next two to four quarters, with a "
        "business case, and turns down requests that do not serve it.",
        "Sets one strategy across several products or teams, chooses which bets the group makes over a year "
        "or more, and stops work that no longer fits.",
        "Sets the company's product strategy with the executive team over several years, tied to the business "
        "model and its advantages against competitors, and defends it to the board.",
    ),
    "customer-centricity": (
        "Takes part in customer interviews or usability tests and writes down what they saw, separating what "
        "customers did from what they think.",
        "Talks to customers about the feature they work on, brings back evidence and changes their stories and "
        "acceptance criteria because of it.",
        "Keeps weekly contact with customers, runs their own discovery on value and usability, and bases their "
        "product's decisions on that evidence rather than on opinions.",
        "Builds the habits and tools that keep every team in their group close to customers, and challenges "
        "plans that rest on no evidence.",
        "Makes customer evidence the basis of decisions across the company, including for the executive team "
        "and the board, and funds the research and insight work it needs.",
    ),
    "technical-expertise": (
        "Describes how a web or mobile product is built and run: clients, servers, APIs and data, and what "
        "each engineering role does.",
        "Follows the engineering discussion about their feature, asks informed questions, and writes "
        "requirements engineers can estimate.",
        "Weighs feasibility, technical debt and architecture with their engineers, and makes trade-offs between "
        "scope, quality and time for their product.",
        "Judges technical risk and platform investments across several teams, and works as a peer of "
        "engineering leadership on how the group builds and ships.",
        "Shapes, with the CTO, the company's technology bets and how product and engineering are organised, "
        "and explains technical choices to the board in business terms.",
    ),
    "leadership": (
        "Organises their own work and a group project: agrees who does what, follows up and finishes.",
        "Leads a feature across the engineers and designers working on it without authority over them, and "
        "keeps them informed and motivated.",
        "Leads a whole cross-functional team's work towards its goals, and mentors a junior product manager "
        "or first line-manages one.",
        "Hires, coaches and manages product managers (and managers of them), organises several teams so that "
        "they own outcomes, and sponsors people for bigger roles.",
        "Builds and runs the whole product organisation, often with design, research and data, sits on the "
        "executive team and develops the leaders who will succeed them.",
    ),
    "communication": (
        "Writes and presents their own work clearly to a small group, and asks for and takes feedback.",
        "Writes clear stories, specifications and updates for their team, and keeps the people their feature "
        "touches informed.",
        "Aligns engineering, design, marketing, sales and support behind their product's plan, in writing and "
        "in meetings, and handles disagreement openly.",
        "Aligns senior stakeholders and other departments behind a group's strategy, manages up, and settles "
        "conflicts between teams.",
        "Tells the product story to the whole company, the board, customers and the market, and sets how "
        "product works with every other function.",
    ),
    "analytics": (
        "Reads basic product metrics and charts, and explains what a KPI, a funnel and a conversion rate "
        "measure.",
        "Pulls and analyses the data about their feature themselves, defines its success measure before launch, "
        "and reports what happened after.",
        "Sets their product's KPIs and OKRs, designs and reads experiments correctly, and changes course when "
        "the numbers say so.",
        "Builds the metrics framework and review rhythm for several teams, judges the quality of their "
        "evidence, and ties product measures to business results.",
        "Owns, with the executive team, the few measures that say how the company's products serve the "
        "business, and reports them to the board, including the financial ones.",
    ),
    "resilience": (
        "Keeps going on a hard course or project when things go wrong, and asks for help in time.",
        "Adapts when priorities or scope change during a sprint, and learns from a launch that missed without "
        "losing momentum.",
        "Decides and moves on under uncertainty on an ambiguous project, reviews what went wrong without "
        "blame, and helps their team through a setback.",
        "Keeps several teams steady through reorganisations, failed bets and changes of direction, while "
        "still taking sensible risks.",
        "Leads the product organisation through crises, market shifts and strategy changes, makes hard calls "
        "without full information and keeps people's trust.",
    ),
    "empathy": (
        "Listens to understand how someone else experiences a problem, and notices their own assumptions "
        "about it.",
        "Describes the needs and frustrations of their feature's users and of their teammates from what they "
        "told them, not from guesses.",
        "Understands how customers and colleagues think and feel well enough to predict their reactions, and "
        "uses it to shape the product and how they work together.",
        "Creates a team culture where people feel heard and safe to disagree, and gives candid feedback with "
        "care.",
        "Sets the tone of the company's product culture: decisions that respect customers and employees, and "
        "attention to how they land on people.",
    ),
}

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
    """Register the eight skills (with what each level of them looks like) and the practices of the CPO role."""
    for skill_id, title, description in SKILLS:
        registry.add_skill(id=skill_id, title=title, description=description,
                           levels=dict(enumerate(LEVELS[skill_id], start=1)))
    for practice_id, title, description in PRACTICES:
        registry.add_practice(id=practice_id, title=title, description=description)
