"""The ids the LRS tests record for Ada (a learner in education, heading for starting-roles)."""

ADA = {"name": "Ada Lovelace", "stage": "education", "target": "starting-roles", "hours_per_week": 6}
BASICS = "education/business-and-market-basics"
TALKING = "education/talking-to-users"
TEARDOWNS = "education/product-teardowns"
SOFTWARE = "education/how-software-is-built"
SIDE_PROJECT = "education/shipped-a-side-project"
