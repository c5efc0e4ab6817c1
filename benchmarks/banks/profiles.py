"""Everything else a synthetic peer writes: boilerplate and context sentences, positions,
tasks, backgrounds, countries and institutions."""

BOILERPLATE = [
    "I work in the public sector of my country.",
    "I am interested in learning from the experience of other countries.",
    "Our institution is undergoing a reform process.",
    "I would like to exchange with peers facing similar issues.",
    "This is a priority for our government.",
    "We have received support from international partners.",
    "I hope to share our experience as well.",
    "Thank you for organising this programme.",
]

CONTEXT = [
    "Our team has {n} staff.",
    "I joined the ministry in {year}.",
    "The reform started in {year} with a new law.",
    "We cover {n} districts.",
    "Our department was created {n} years ago.",
]

POSITIONS = [
    "Head of Budget Department", "Director of Treasury", "Senior Economist", "Deputy Minister",
    "Chief Internal Auditor", "Procurement Specialist", "Tax Inspector", "Head of Human Resources",
    "Policy Analyst", "Head of Unit", "Advisor to the Minister", "Director General",
    "Legal Advisor", "IT Manager", "Deputy Mayor",
]  # fmt: skip

TASKS = [
    "programme budgeting", "cash management", "debt strategy", "procurement reform",
    "internal audit", "tax administration", "civil service reform", "local finance",
    "health financing", "energy regulation", "digital services", "anti-corruption strategy",
    "statistics", "policy coordination", "public investment",
]  # fmt: skip

BACKGROUNDS = ["economics", "law", "public administration", "accounting", "engineering",
               "medicine", "computer science", "political science"]  # fmt: skip

COUNTRIES = ["Albania", "Armenia", "Georgia", "Moldova", "Ukraine", "Kenya", "Ghana", "Peru",
             "Colombia", "Morocco", "Tunisia", "Senegal", "Vietnam", "Mongolia", "Serbia",
             "Kosovo", "Jordan", "Benin", "Bolivia", "Kazakhstan"]  # fmt: skip

INSTITUTIONS = ["Ministry of Finance", "Ministry of Health", "Tax Service", "Audit Office",
                "City Hall", "Procurement Agency", "Civil Service Agency", "Ministry of Energy",
                "Customs Service", "Government Office"]  # fmt: skip
