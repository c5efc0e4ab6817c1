"""Speed and quality benchmark of the matching engine on synthetic peers.

Run from the project root: ``python -m matching.benchmark [--sizes 1000 4000 ...]``.

Synthetic peers are made deterministically (fixed seed).  Each peer is given one *planted
problem* out of a bank of public-sector reform problems (the first bank below, or the
held-out one in ``benchmark_heldout``); its challenge text is one of several
paraphrases of that problem (different words, a few in French, Spanish or Russian), mixed
with boilerplate sentences that many peers write and with personal context sentences.
Organisations are drawn from a small pool (so same-organisation conflicts happen), most peers
speak English and some only French, Spanish or Russian, and positions, tasks, backgrounds and
years of service are random, so they pull towards the wrong partner now and then.

Measures
--------
* time: wall-clock seconds of ``match``; cpu: its CPU seconds (user + system, both cores),
  which say more than wall time when other work shares the machine;
* memory: peak resident set size of a fresh child process running one ``match`` call, minus
  its resident size just before the call (``resource.getrusage`` ``ru_maxrss``), in MB, plus
  the total peak RSS of that process; RSS is what the 500 MB target is about;
* gap: ``MatchResult.gap``, the relative distance of the total to the certified upper bound;
* same problem: among peers that could share a group with a same-problem peer at all (at
  least one compatible peer with the same planted problem), the share whose group does
  contain one; for groups, "purity" is the mean share of a peer's group-mates with its
  problem;
* recall (small runs): for each planted problem P let m(P) be the size of a maximum
  matching in the graph of compatible peers that have problem P (pairs the constraints allow
  at the same time).  Recall = sum over P of min(f(P), 2 m(P)) / sum over P of 2 m(P), where
  f(P) counts peers with problem P whose group holds another peer with problem P.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import time
from dataclasses import dataclass
from functools import cache

import numpy as np

from matching.benchmark_heldout import HELD_OUT_PROBLEMS
from matching.engine import Constraints, MatchResult, Peer, match

# Each problem: reform area, then paraphrases of the same problem in different words.
PROBLEMS: list[tuple[str, list[str]]] = [
    ("budget", [
        "Ministries spend only part of their capital budget by the end of the year.",
        "Investment allocations remain unused and are returned to the treasury every December.",
        "Our capital expenditure execution rate is below sixty percent.",
        "Funds approved for infrastructure projects are not "
        "disbursed on time, so the money lapses.",
    ]),
    ("budget", [
        "We are moving from line-item budgets to programme-based budgeting.",
        "Ministries struggle to link their spending to programmes with measurable objectives.",
        "The transition to performance-oriented program budgets is stalled.",
        "Budget requests are still prepared by economic "
        "classification instead of by policy programme.",
        "Nous passons d'un budget de moyens à un budget par "
        "programmes avec des objectifs mesurables.",
    ]),
    ("budget", [
        "Our medium-term expenditure framework is not credible and ceilings change every year.",
        "Multi-year spending ceilings are ignored during the annual budget negotiations.",
        "Three-year fiscal forecasts are revised so often that nobody trusts them.",
        "Line ministries do not respect the indicative limits set for outer years.",
    ]),
    ("local government", [
        "Arrears in municipal payroll.",
        "Salary payments to city staff are months late.",
        "Local government employees have not been paid their wages for several months.",
        "Town halls accumulate unpaid salaries because transfers from the centre arrive late.",
        "Les salaires des employés municipaux sont versés avec plusieurs mois de retard.",
    ]),
    ("budget", [
        "The government owes suppliers large sums of overdue bills.",
        "Unpaid invoices from contractors keep piling up at the end of each quarter.",
        "Payment delays to private vendors have become chronic.",
        "We have a growing stock of expenditure arrears towards companies.",
    ]),
    ("treasury", [
        "Cash is scattered across hundreds of commercial bank accounts held by agencies.",
        "We want to consolidate public money in a single treasury account.",
        "Idle balances sit in agency accounts while the treasury borrows to pay bills.",
        "Fragmented government bank accounts make liquidity planning impossible.",
    ]),
    ("state enterprises", [
        "Losses of state-owned enterprises create hidden liabilities for the budget.",
        "Public companies keep asking for bailouts that were never planned.",
        "We lack a system to monitor the financial health of state enterprises.",
        "Guarantees issued to public corporations turn into unexpected budget costs.",
    ]),
    ("debt", [
        "Public debt is rising fast and refinancing risk is high.",
        "Too much of our borrowing is short-term and in foreign currency.",
        "The debt office has no strategy for managing the maturity of loans.",
        "Interest payments on government borrowing absorb a growing share of revenue.",
        "La deuda pública crece rápidamente y el riesgo de refinanciación es alto.",
    ]),
    ("accounting", [
        "We are introducing accrual accounting based on international public sector standards.",
        "Moving government bookkeeping from cash basis to IPSAS is proving difficult.",
        "Our financial statements do not record assets and liabilities properly.",
        "Accountants in ministries are not trained in accrual-based reporting.",
    ]),
    ("transparency", [
        "Citizens cannot understand the budget documents we publish.",
        "We want to publish a simple citizens' guide to the annual budget.",
        "The public has little access to information on how tax money is spent.",
        "Budget data is released late and in formats that are hard to reuse.",
    ]),
    ("gender", [
        "We want to assess how spending affects women and men differently.",
        "Gender-responsive budgeting exists on paper but is not applied by ministries.",
        "There is no method to tag expenditure that promotes gender equality.",
        "Ministries do not analyse the impact of their programmes on women.",
    ]),
    ("climate", [
        "We need to identify climate-related expenditure in the budget.",
        "Tagging spending that affects the environment is new for us.",
        "Budget decisions ignore their impact on carbon emissions.",
        "The finance ministry wants to align public spending with climate commitments.",
    ]),
    ("local government", [
        "Transfers from the central government to regions are unpredictable.",
        "Municipalities depend on grants whose amounts change every year without a formula.",
        "Local authorities cannot plan because intergovernmental transfers are decided ad hoc.",
        "The allocation formula for equalisation grants is outdated and unfair.",
    ]),
    ("tax", [
        "Exporters wait many months for their VAT refunds.",
        "Value added tax refunds are delayed because the revenue service lacks cash.",
        "Businesses complain that reimbursement of input tax takes too long.",
        "A backlog of refund claims undermines trust in the VAT system.",
    ]),
    ("tax", [
        "Many small businesses operate informally and pay no tax.",
        "Compliance among micro enterprises and self-employed people is very low.",
        "The shadow economy erodes our revenue base.",
        "Small traders avoid registering with the tax administration.",
        "Muchas pequeñas empresas operan en la informalidad y no pagan impuestos.",
    ]),
    ("tax", [
        "Most taxpayers still submit paper returns.",
        "We want to move tax declarations to an online filing platform.",
        "Electronic submission of tax returns is used by very few companies.",
        "The revenue agency needs a digital portal for declarations and payments.",
    ]),
    ("local government", [
        "Property tax collection in cities is very weak.",
        "Municipal revenue from real estate taxes is tiny because valuations are outdated.",
        "Local governments collect little from land and building taxes.",
        "The cadastre is incomplete, so many properties are never taxed.",
    ]),
    ("tax", [
        "Multinational companies shift profits abroad through transfer pricing.",
        "We lack auditors able to examine intra-group transactions of foreign firms.",
        "Profit shifting by international corporations reduces corporate income tax.",
        "Our tax authority struggles to challenge prices set between related companies.",
    ]),
    ("tax", [
        "Tax inspections are chosen randomly instead of by risk.",
        "We want to select taxpayers for audit using data analytics and risk scores.",
        "Auditors visit the same compliant firms every year while real risks are missed.",
        "Our selection of cases for tax control is not based on any risk model.",
    ]),
    ("customs", [
        "Goods take days to clear customs at the border.",
        "Long clearance times at border posts hurt exporters.",
        "Traders complain about delays and repeated physical inspections at customs.",
        "We want to speed up the release of imported goods.",
    ]),
    ("customs", [
        "Smuggling across the border deprives us of import duties.",
        "Customs officers accept informal payments to let goods through.",
        "Undervaluation of imports is widespread at our ports.",
        "Contraband trade undermines legal businesses and revenue.",
        "Контрабанда через границу лишает бюджет таможенных пошлин.",
    ]),
    ("procurement", [
        "Many tenders receive only one bid.",
        "Competition in public procurement is low and a few firms win most contracts.",
        "Single-source awards have become the norm in our ministries.",
        "Suppliers do not participate in government tenders because they expect them to be rigged.",
        "La mayoría de las licitaciones públicas reciben una sola oferta.",
    ]),
    ("procurement", [
        "We are launching an electronic procurement system.",
        "Procurement is still done on paper, which makes it slow and opaque.",
        "Contracting authorities resist moving their tenders to the online platform.",
        "We want all purchasing procedures published on a digital portal.",
    ]),
    ("procurement", [
        "Procurement procedures take so long that projects start a year late.",
        "Tender processes are slow and often have to be cancelled and repeated.",
        "Purchasing plans are prepared late, so contracts are signed at the end of the year.",
        "Delays in awarding contracts block the implementation of investment projects.",
    ]),
    ("procurement", [
        "Contract prices increase through repeated amendments after signature.",
        "Nobody monitors whether suppliers deliver what the contract requires.",
        "Cost overruns in public works contracts are common.",
        "Contract management after award is weak in our agencies.",
    ]),
    ("procurement", [
        "Procurement officers have no professional certification.",
        "Staff who run tenders are not trained and rotate often.",
        "We want to create a career path for procurement specialists.",
        "Buyers in ministries lack skills in market analysis and negotiation.",
    ]),
    ("anti-corruption", [
        "Officials submit asset declarations but nobody checks them.",
        "We need to verify the income and property statements of senior officials.",
        "Declarations of wealth by public servants are not reviewed for inconsistencies.",
        "Our agency cannot detect unexplained wealth of politicians.",
        "Декларации об имуществе чиновников никто не проверяет.",
    ]),
    ("anti-corruption", [
        "Conflicts of interest of public officials are not managed.",
        "Civil servants take decisions that benefit companies owned by their relatives.",
        "There are no rules on recusal when a personal interest is involved.",
        "Private interests of decision makers influence public contracts.",
    ]),
    ("anti-corruption", [
        "Employees who report wrongdoing face retaliation.",
        "We lack a safe channel for staff to report corruption.",
        "Whistleblowers are not protected by law in our country.",
        "People are afraid to denounce misconduct inside ministries.",
    ]),
    ("anti-corruption", [
        "Citizens pay small bribes to obtain permits and certificates.",
        "Informal payments are common in hospitals and schools.",
        "Front-line officers ask for money to speed up services.",
        "Petty corruption in public services damages trust in the state.",
    ]),
    ("anti-corruption", [
        "Ministries do not assess their corruption risks.",
        "We want each agency to map integrity risks and plan measures.",
        "Anti-corruption plans are copied from templates and not implemented.",
        "There is no systematic analysis of where fraud is likely to occur.",
    ]),
    ("anti-corruption", [
        "We do not know who really owns the companies that win contracts.",
        "The register of beneficial owners is incomplete and not verified.",
        "Shell companies hide the real owners of firms dealing with the state.",
        "Ownership information of legal entities is not publicly available.",
    ]),
    ("audit", [
        "Audit recommendations are ignored by the audited bodies.",
        "Ministries rarely implement the findings of the supreme audit institution.",
        "Nobody follows up on what auditors recommend.",
        "The same irregularities appear in audit reports year after year.",
        "Les recommandations de la Cour des comptes ne sont pas mises en œuvre.",
    ]),
    ("audit", [
        "Internal audit units exist only on paper in most ministries.",
        "Internal auditors lack independence from the managers they audit.",
        "Our internal audit function focuses on compliance checks, not on risks.",
        "Heads of entities do not understand the role of internal auditors.",
    ]),
    ("audit", [
        "Parliament does not discuss the reports of the court of audit.",
        "The public accounts committee lacks capacity to review audit findings.",
        "Legislators pay little attention to external audit reports.",
        "Audit results are not debated in the legislature.",
    ]),
    ("audit", [
        "We want to move from financial audits to performance audits.",
        "Our auditors have no experience in assessing value for money.",
        "Audits check legality but not whether programmes achieve results.",
        "The audit office needs methods to evaluate efficiency and effectiveness.",
    ]),
    ("civil service", [
        "Qualified staff leave the public sector for better paid private jobs.",
        "We lose our best specialists to the private sector.",
        "Staff turnover in ministries is very high.",
        "Young professionals quit government after a year or two.",
        "Los funcionarios calificados abandonan el sector público "
        "por empleos privados mejor pagados.",
    ]),
    ("civil service", [
        "Recruitment in the civil service is based on connections rather than merit.",
        "Hiring of public servants is influenced by politics.",
        "We want competitive exams for entry into the civil service.",
        "Appointments are made without open competition.",
    ]),
    ("civil service", [
        "Staff performance appraisals are a formality and everyone gets the top grade.",
        "Evaluation of civil servants does not distinguish good from poor performers.",
        "Annual assessments of employees have no consequences.",
        "We lack a meaningful system to rate the work of officials.",
    ]),
    ("civil service", [
        "Civil service pay is low and not linked to responsibilities.",
        "Salaries in the public administration are set by dozens of separate laws.",
        "The remuneration system is fragmented with many allowances and bonuses.",
        "We want a unified salary scale for all public employees.",
    ]),
    ("civil service", [
        "Civil servants rarely receive training after they are hired.",
        "Our school of public administration offers outdated courses.",
        "Skills of staff do not match the new tasks of the ministry.",
        "There is no plan for professional development of public officials.",
    ]),
    ("civil service", [
        "Ghost workers on the payroll cost us millions.",
        "Payroll data is not linked to the personnel register, so fictitious employees get paid.",
        "We found salaries paid to people who no longer work for the government.",
        "There is no reliable database of public employees.",
    ]),
    ("local government", [
        "Waste collection in our city is irregular.",
        "Garbage piles up in the streets because the municipal service is underfunded.",
        "Landfills are full and recycling is almost nonexistent.",
        "The town cannot afford modern solid waste management.",
    ]),
    ("local government", [
        "Public transport in the capital is overcrowded and unreliable.",
        "Buses are old and routes do not meet passengers' needs.",
        "Traffic congestion is getting worse every year in our city.",
        "The municipality wants to reform its bus company.",
    ]),
    ("local government", [
        "Half of the water supplied is lost through leaks and illegal connections.",
        "Our water utility cannot recover its costs from tariffs.",
        "Non-revenue water is very high in the municipal network.",
        "Many households receive running water only a few hours a day.",
    ]),
    ("local government", [
        "Citizens must visit several offices to obtain simple municipal services.",
        "We want to open one-stop shops for local administrative services.",
        "Getting a construction permit from the city takes months.",
        "Residents complain about queues and paperwork at the town hall.",
    ]),
    ("local government", [
        "Residents have no say in how the municipal budget is spent.",
        "We want to pilot participatory budgeting in our districts.",
        "Public hearings on local plans attract almost nobody.",
        "Citizens are not involved in choosing local investment projects.",
    ]),
    ("health", [
        "Hospitals regularly run out of essential medicines.",
        "Stock-outs of drugs are common in rural clinics.",
        "The supply chain for pharmaceuticals is unreliable.",
        "Patients must buy their own medicines because health facilities have none.",
        "Los hospitales se quedan sin medicamentos esenciales con frecuencia.",
    ]),
    ("health", [
        "Households pay a large share of health costs out of pocket.",
        "Health insurance covers only a small part of the population.",
        "Patients face catastrophic expenses when they get sick.",
        "Public funding for health care is insufficient.",
    ]),
    ("health", [
        "Doctors refuse to work in rural areas.",
        "There is a shortage of nurses outside the big cities.",
        "Medical staff are concentrated in the capital while villages have none.",
        "We cannot attract physicians to remote regions.",
    ]),
    ("health", [
        "Hospitals are paid by number of beds, which rewards long stays.",
        "We want to introduce case-based payment for hospitals.",
        "Hospital budgets are based on history rather than on services delivered.",
        "Inpatient care is inefficient and too many people are hospitalised.",
    ]),
    ("energy", [
        "Energy subsidies are expensive and mostly benefit the rich.",
        "Electricity and gas prices are kept below cost by the state.",
        "Fuel subsidies absorb a large part of the budget.",
        "We want to reform utility tariffs without hurting poor households.",
        "Субсидии на энергию обходятся бюджету слишком дорого.",
    ]),
    ("energy", [
        "The state power company is losing money because of unpaid bills and theft.",
        "Electricity distribution losses are very high.",
        "Public institutions do not pay their electricity bills.",
        "The electricity utility accumulates debts to generators.",
    ]),
    ("energy", [
        "We want to attract private investment in solar and wind power.",
        "Renewable energy auctions have not attracted bidders.",
        "Our grid cannot absorb new renewable generation.",
        "Regulations discourage investors in clean energy.",
    ]),
    ("energy", [
        "Public buildings waste a lot of energy for heating.",
        "Schools and hospitals have huge energy bills.",
        "We want to renovate government buildings to cut energy consumption.",
        "There is no money for insulation of public facilities.",
    ]),
    ("education", [
        "Schools cannot find enough qualified teachers.",
        "Teachers leave the profession because salaries are low.",
        "Many classes in rural schools have no maths teacher.",
        "The teaching workforce is ageing and few young people join.",
        "Les écoles ne trouvent pas assez d'enseignants qualifiés.",
    ]),
    ("education", [
        "Pupils finish primary school without being able to read properly.",
        "Student results in international assessments are very low.",
        "Learning outcomes have not improved despite higher spending on education.",
        "Children attend school but learn very little.",
    ]),
    ("social protection", [
        "Social assistance does not reach the poorest families.",
        "Cash benefits go to households that do not need them.",
        "We lack a registry to identify the poor for welfare programmes.",
        "Targeting errors in our social transfers are large.",
    ]),
    ("social protection", [
        "The pension system runs a growing deficit.",
        "Pension spending will become unaffordable as the population ages.",
        "Contributions no longer cover pension payments.",
        "We need to raise the retirement age but it is politically difficult.",
        "Пенсионная система имеет растущий дефицит.",
    ]),
    ("digital", [
        "Government databases do not talk to each other.",
        "Citizens must submit the same documents to several agencies.",
        "Our registries are not interoperable, so data is entered many times.",
        "Agencies refuse to share information they hold.",
    ]),
    ("digital", [
        "Few citizens use the online services we have built.",
        "Our e-government portal has low usage.",
        "People prefer to come in person rather than apply online.",
        "Digital public services are hard to use and poorly known.",
    ]),
    ("digital", [
        "Government systems are vulnerable to cyber attacks.",
        "We suffered a ransomware attack on a ministry network.",
        "There is no central team responsible for information security.",
        "Public institutions lack basic protection of their IT systems.",
    ]),
    ("justice", [
        "Courts have a huge backlog of pending cases.",
        "Commercial disputes take years to be resolved.",
        "Judges are overloaded and trials are constantly postponed.",
        "Enforcement of court decisions is slow.",
    ]),
    ("regulation", [
        "Businesses face too many inspections from different agencies.",
        "Inspectors visit firms without a clear plan and ask for bribes.",
        "We want risk-based inspections to reduce the burden on companies.",
        "Overlapping controls by state bodies harass entrepreneurs.",
    ]),
    ("regulation", [
        "New laws are adopted without analysis of their costs.",
        "Regulatory impact assessments are done after the decision is taken.",
        "Ministries do not consult businesses before drafting regulations.",
        "The quality of draft legislation is poor.",
    ]),
    ("centre of government", [
        "Ministries work in silos and do not coordinate policies.",
        "The government office cannot ensure coherence between sectoral strategies.",
        "There are too many strategies with no link to the budget.",
        "Decisions of the cabinet are not followed up.",
    ]),
    ("centre of government", [
        "We do not evaluate whether our programmes work.",
        "Monitoring of government strategies is limited to counting activities.",
        "There is no culture of evaluating policy impact.",
        "Indicators in our plans are not measured.",
    ]),
    ("statistics", [
        "Official statistics are published late and are unreliable.",
        "Administrative data is of poor quality and cannot be used for decisions.",
        "Our statistical office lacks staff and modern methods.",
        "Ministries collect data in incompatible formats.",
    ]),
]  # fmt: skip

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


BANKS = {"first": PROBLEMS, "held-out": HELD_OUT_PROBLEMS}


@dataclass(frozen=True)
class Synthetic:
    peers: list[Peer]
    problem: dict[str, int]


def make_peers(
    count: int, *, problems: int | None = None, seed: int = 7, bank: str = "first"
) -> Synthetic:
    """Deterministic synthetic peers, each with one planted problem (round robin, shuffled)."""
    rng = random.Random(seed)
    statements = BANKS[bank]
    chosen = list(range(len(statements)))[: problems or len(statements)]
    planted = [chosen[i % len(chosen)] for i in range(count)]
    rng.shuffle(planted)
    organisations = _organisations(rng, max(4, count // 12))
    peers = []
    for i, problem in enumerate(planted):
        peers.append(_peer(rng, i, statements, problem, organisations))
    return Synthetic(peers, {p.id: planted[i] for i, p in enumerate(peers)})


def _organisations(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names = []
    for i in range(count):
        country = rng.choice(COUNTRIES)
        names.append((f"{rng.choice(INSTITUTIONS)} of {country} {i}", country))
    return names


def _peer(rng: random.Random, i: int, statements, problem: int, organisations) -> Peer:
    area, paraphrases = statements[problem]
    sentences = rng.sample(BOILERPLATE, rng.choice([0, 1, 1, 2, 2, 3]))
    sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(paraphrases))
    if rng.random() < 0.5:
        template = rng.choice(CONTEXT)
        sentences.append(template.format(n=rng.randint(3, 90), year=rng.randint(1995, 2024)))
    organisation, country = rng.choice(organisations)
    tags = {area} | ({rng.choice(statements)[0]} if rng.random() < 0.3 else set())
    return Peer(
        id=f"peer{i}@example.org",
        challenges=" ".join(sentences),
        challenge_tags=frozenset(tags),
        position=rng.choice(POSITIONS),
        task=rng.choice(TASKS),
        years_of_service=None if rng.random() < 0.1 else rng.randint(1, 30),
        background=rng.choice(BACKGROUNDS),
        languages=_languages(rng),
        organisation=organisation,
        country=country,
    )


def _languages(rng: random.Random) -> frozenset[str]:
    roll = rng.random()
    if roll < 0.03:
        return frozenset()
    if roll < 0.15:
        return frozenset(rng.choice([["fr"], ["es"], ["ru"], ["fr", "es"]]))
    extra = rng.sample(["fr", "es", "ru", "pt", "ar"], rng.choice([0, 0, 1, 1, 2]))
    return frozenset(["en", *extra])


# ---------------------------------------------------------------------------
# Quality measures
# ---------------------------------------------------------------------------


def _compatible(a: Peer, b: Peer) -> bool:
    if a.organisation.casefold() == b.organisation.casefold() and a.organisation:
        return False
    return not (a.languages and b.languages and not a.languages & b.languages)


def same_problem_share(data: Synthetic, result: MatchResult) -> tuple[float, float]:
    """(share of able peers whose group holds a same-problem peer, mean group purity)."""
    by_problem = _by_problem(data)
    able = {
        p.id
        for group in by_problem.values()
        for p in group
        if any(q.id != p.id and _compatible(p, q) for q in group)
    }
    hits = 0
    purity = []
    for group in result.groups:
        for member in group.members:
            mates = [m for m in group.members if m != member]
            same = sum(data.problem[m] == data.problem[member] for m in mates)
            purity.append(same / len(mates))
            hits += member in able and same > 0
    return hits / max(1, len(able)), float(np.mean(purity)) if purity else 0.0


def planted_recall(data: Synthetic, result: MatchResult) -> float:
    """Share of the same-problem pairs the constraints allow that the matching found."""
    group_of = {m: i for i, g in enumerate(result.groups) for m in g.members}
    by_problem = _by_problem(data)
    found = possible = 0
    for group in by_problem.values():
        pairs = 2 * _max_matching(group)
        hits = sum(
            any(q.id != p.id and group_of.get(q.id, -1) == group_of.get(p.id, -2) for q in group)
            for p in group
        )
        found += min(hits, pairs)
        possible += pairs
    return found / possible if possible else 1.0


def _by_problem(data: Synthetic) -> dict[int, list[Peer]]:
    groups: dict[int, list[Peer]] = {}
    for peer in data.peers:
        groups.setdefault(data.problem[peer.id], []).append(peer)
    return groups


def _max_matching(group: list[Peer]) -> int:
    """Size of a maximum matching among compatible peers (exact search; sets are small)."""
    n = len(group)
    friends = [
        sum(1 << j for j in range(n) if j != i and _compatible(group[i], group[j]))
        for i in range(n)
    ]
    if n > 22:
        return _greedy_matching(friends)

    @cache
    def best(free: int) -> int:
        if free == 0:
            return 0
        first = (free & -free).bit_length() - 1
        rest = free & ~(1 << first)
        result = best(rest)
        options = friends[first] & rest
        while options:
            other = options & -options
            result = max(result, 1 + best(rest & ~other))
            options &= ~other
        return result

    return best((1 << n) - 1)


def _greedy_matching(friends: list[int]) -> int:
    free = (1 << len(friends)) - 1
    count = 0
    for i in sorted(range(len(friends)), key=lambda i: bin(friends[i]).count("1")):
        options = friends[i] & free
        if free >> i & 1 and options:
            other = options & -options
            free &= ~((1 << i) | other)
            count += 1
    return count


# ---------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------


def _measure(count: int, group_size: int, problems: int | None, seed: int, bank: str, queue):
    data = make_peers(count, problems=problems, seed=seed, bank=bank)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = match(data.peers, constraints=Constraints(group_size=group_size))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = after.ru_maxrss
    share, purity = same_problem_share(data, result)
    recall = planted_recall(data, result) if count <= 1000 else float("nan")
    sizes = sorted({len(g.members) for g in result.groups})
    queue.put(
        {
            "peers": count,
            "bank": bank,
            "k": group_size,
            "seconds": seconds,
            "cpu": cpu,
            "rss_delta": (peak - before.ru_maxrss) / 1024,
            "rss_peak": peak / 1024,
            "gap": result.gap,
            "share": share,
            "purity": purity,
            "recall": recall,
            "groups": len(result.groups),
            "unmatched": len(result.unmatched),
            "sizes": sizes,
        }
    )


def run_one(
    count: int, group_size: int = 2, problems: int | None = None, seed: int = 7, bank="first"
) -> dict:
    """Run one measurement in a fresh process so that peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    arguments = (count, group_size, problems, seed, bank, queue)
    process = context.Process(target=_measure, args=arguments)
    process.start()
    row = queue.get()
    process.join()
    return row


def _print_row(row: dict) -> None:
    recall = "" if np.isnan(row["recall"]) else f"{row['recall']:.1%}"
    print(
        f"{row['peers']:>7} {row['bank']:>8} {row['k']:>3}"
        f" {row['seconds']:>8.2f} {row['cpu']:>7.2f}"
        f" {row['rss_delta']:>8.0f}"
        f" {row['rss_peak']:>8.0f} {row['gap']:>7.3%} {row['share']:>8.1%}"
        f" {row['purity']:>7.1%} {recall:>7} {row['unmatched']:>5}"
        f"  {','.join(map(str, row['sizes']))}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000, 10000, 20000])
    parser.add_argument(
        "--group-sizes",
        type=int,
        nargs="*",
        default=[10000],
        metavar="N",
        help="peer counts to run in groups of --group-size",
    )
    parser.add_argument("--group-size", type=int, default=5)
    parser.add_argument("--small", type=int, nargs="*", default=[120, 240])
    parser.add_argument(
        "--peers-per-problem",
        type=int,
        default=4,
        help="small runs: planted problems = peers / this number",
    )
    parser.add_argument(
        "--banks",
        nargs="*",
        choices=sorted(BANKS),
        default=["first", "held-out"],
        help="small runs: statement banks to draw from (large runs use the first bank)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="*",
        default=[7],
        help="small runs: one row per seed, then the mean recall",
    )
    args = parser.parse_args(argv)
    print("time = wall seconds of match(), cpu = its CPU seconds (both cores count);")
    print("RSS = ru_maxrss of a fresh process (MB):")
    print("delta = peak during match minus before it; peak = whole process incl. imports.")
    print("same = peers with a same-problem group-mate among those the constraints allow;")
    print("purity = mean share of group-mates with the same planted problem.")
    print(
        f"{'peers':>7} {'bank':>8} {'k':>3} {'time s':>8} {'cpu s':>7} {'RSS dMB':>8}"
        f" {'peak MB':>8} {'gap':>7}"
        f" {'same':>8} {'purity':>7} {'recall':>7} {'left':>5}  sizes"
    )
    for bank in args.banks:
        for count in args.small:
            problems = max(2, count // args.peers_per_problem)
            rows = [run_one(count, 2, problems, seed, bank) for seed in args.seeds]
            for row in rows:
                _print_row(row)
            if len(rows) > 1:
                mean = np.mean([row["recall"] for row in rows])
                print(f"{count:>7} {bank:>8}: mean recall {mean:.1%} over seeds {args.seeds}")
    for count in args.sizes:
        _print_row(run_one(count, 2))
    for count in args.group_sizes:
        _print_row(run_one(count, args.group_size))


if __name__ == "__main__":
    main()
