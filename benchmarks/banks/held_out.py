"""A second bank of challenge statements for the matching benchmark, kept out of tuning.

Written for this benchmark without looking at the engine or its concept lexicon: 60
problems, each told four or five ways (close rewordings and other facets of the same
problem, about one statement in ten in French, Spanish, Russian or Portuguese).  The
lexicon was built while reading the first bank (``benchmarks.banks.first``), so recall
on this bank is the better guess of how matching does on wording nobody anticipated.
Only the sentence model's share in the challenge similarity was chosen while looking at it.
"""

# ruff: noqa: E501

HELD_OUT_PROBLEMS: list[tuple[str, list[str]]] = [
    # ---------------- budget ----------------
    (
        "budget",
        [
            "Actual spending regularly deviates sharply from the budget approved by parliament.",
            "Ministries receive their allocations so late in the year that they cannot spend them.",
            "We keep passing supplementary budgets that rewrite the original appropriations.",
            "By year end, the executed budget bears little resemblance to the enacted one.",
        ],
    ),
    (
        "budget",
        [
            "Our budget is prepared line by line with no link to policy objectives.",
            "Ministries cannot show what results their appropriations actually buy.",
            "We introduced programme budgeting on paper but allocations remain purely incremental.",
            "Performance indicators in the budget documents are never used when deciding resources.",
        ],
    ),
    (
        "budget",
        [
            "Many infrastructure projects start without any feasibility study or cost-benefit appraisal.",
            "Capital works routinely finish years late and far above their original cost.",
            "New roads and schools get built but nothing is set aside for their upkeep.",
            "Le choix des projets d'investissement public répond davantage à des pressions politiques qu'à des critères techniques.",
            "Our investment pipeline is full of half-finished works that were simply abandoned.",
        ],
    ),
    # ---------------- treasury ----------------
    (
        "treasury",
        [
            "Government funds are scattered across hundreds of accounts in commercial banks.",
            "Without a single treasury account, idle balances sit unused while we borrow expensively.",
            "The treasury cannot see the consolidated cash position of the state on any given day.",
            "Agencies keep their own bank accounts outside the control of the finance ministry.",
        ],
    ),
    (
        "treasury",
        [
            "Companies that deliver goods to the state complain about very late payment.",
            "Unpaid bills to contractors keep accumulating and nobody knows the total stock.",
            "Commitments are not recorded until the invoice finally reaches the treasury.",
            "Поставщики месяцами ждут оплаты, и задолженность государства перед ними растёт.",
        ],
    ),
    # ---------------- debt ----------------
    (
        "debt",
        [
            "We lack a complete record of all loans and guarantees contracted by the state.",
            "Borrowing by public corporations and sovereign guarantees is missing from our debt statistics.",
            "Loans signed by line ministries appear in our database only when repayments begin.",
            "Não temos um registo completo de todos os empréstimos contraídos pelo governo.",
        ],
    ),
    (
        "debt",
        [
            "A large share of our debt matures within the next couple of years.",
            "Our domestic bond market is shallow, so we rely on short-term treasury bills.",
            "Rollover risk is rising because investors will only buy short maturities.",
            "Foreign currency borrowing leaves public finances exposed to exchange rate depreciation.",
        ],
    ),
    # ---------------- accounting ----------------
    (
        "accounting",
        [
            "We still account on a cash basis and cannot produce a balance sheet.",
            "The transition to accrual IPSAS has stalled for years in our country.",
            "Government financial statements ignore assets, pensions and other long-term liabilities.",
            "Our public sector ledgers record only receipts and payments, not obligations.",
        ],
    ),
    (
        "accounting",
        [
            "Nobody knows exactly which buildings and land the government owns.",
            "There is no reliable register of public fixed assets in our administration.",
            "Vehicles and equipment bought by ministries are neither inventoried nor valued.",
            "State property is unrecorded, so we cannot depreciate, insure or manage it.",
        ],
    ),
    # ---------------- tax ----------------
    (
        "tax",
        [
            "Exporters wait many months to receive their VAT refunds.",
            "Le remboursement des crédits de TVA aux entreprises prend beaucoup trop de temps.",
            "The revenue authority holds back repayments of input tax to hit its collection targets.",
            "Fraudulent refund claims make us reluctant to pay legitimate credits quickly.",
            "Firms selling abroad suffer cash-flow problems because value-added tax reimbursements are delayed.",
        ],
    ),
    (
        "tax",
        [
            "Most small businesses operate informally and never register with the tax office.",
            "Our tax base is narrow and a handful of large firms pay most revenue.",
            "Self-employed professionals such as doctors and lawyers declare almost no income.",
            "A large shadow economy escapes the revenue administration entirely.",
        ],
    ),
    (
        "tax",
        [
            "Multinationals shift profits abroad through transfer pricing and pay little tax here.",
            "Our auditors lack the skills to examine intra-group transactions of foreign companies.",
            "Mining companies declare losses year after year despite high output.",
            "Foreign-owned firms route earnings through offshore affiliates and pay almost no corporate income tax.",
        ],
    ),
    # ---------------- customs ----------------
    (
        "customs",
        [
            "Goods take far too long to clear at our ports and borders.",
            "Trucks queue for days at the frontier crossing waiting for inspection.",
            "Nearly every consignment is physically examined because we lack risk-based selection.",
            "Traders must visit several agencies to obtain permits before cargo is released.",
            "O desembaraço aduaneiro das mercadorias no porto é lento e imprevisível.",
        ],
    ),
    (
        "customs",
        [
            "Importers declare values far below the real price of the goods.",
            "Under-invoicing of imports costs us significant duty revenue.",
            "We have no reliable valuation database to challenge declared prices.",
            "Misclassification of merchandise under lower tariff lines is widespread.",
        ],
    ),
    (
        "customs",
        [
            "Smuggling across our land border is widespread.",
            "Contraband cigarettes and fuel enter the country through informal crossing points.",
            "Our border posts cannot control the long and porous frontier.",
            "Illicit cross-border trade deprives the state of substantial revenue.",
        ],
    ),
    # ---------------- procurement ----------------
    (
        "procurement",
        [
            "Many of our tenders receive only one bid.",
            "We suspect suppliers agree among themselves on who will win contracts.",
            "Competition in public purchasing is weak and prices are inflated.",
            "Las empresas se ponen de acuerdo para repartirse las licitaciones públicas.",
        ],
    ),
    (
        "procurement",
        [
            "Procurement procedures take so long that budgets lapse before contracts are signed.",
            "Complaints and approvals delay the award of tenders for months.",
            "Our purchasing law requires too many signatures even for small purchases.",
            "Hospitals cannot buy urgent supplies quickly because of cumbersome acquisition rules.",
        ],
    ),
    (
        "procurement",
        [
            "Once a contract is signed, nobody monitors whether the supplier actually delivers.",
            "Variations and price increases after award are common and unchecked.",
            "Works are paid for even when they are incomplete or of poor quality.",
            "Contract management after signature is practically non-existent in our agencies.",
        ],
    ),
    # ---------------- audit ----------------
    (
        "audit",
        [
            "Ministries ignore the recommendations of the supreme audit institution.",
            "Parliament never discusses the reports of the auditor general.",
            "The same findings appear in our reports year after year.",
            "Audited entities rarely act on the observations raised by external auditors.",
        ],
    ),
    (
        "audit",
        [
            "Internal audit units in ministries exist only on paper.",
            "Internal auditors report to the very managers they are supposed to check.",
            "Our internal audit function only checks vouchers for compliance, not risks.",
            "Managers do not see internal control as part of their responsibility.",
        ],
    ),
    # ---------------- anti-corruption ----------------
    (
        "anti-corruption",
        [
            "Officials submit asset declarations but nobody verifies them.",
            "Our income and wealth disclosure system has no sanctions for false statements.",
            "We cannot detect unjustified enrichment of senior civil servants.",
            "Las declaraciones patrimoniales de los funcionarios no se publican ni se revisan.",
        ],
    ),
    (
        "anti-corruption",
        [
            "Citizens must pay bribes to get a driving licence or permit.",
            "Informal payments are common when obtaining basic public services.",
            "Traffic police routinely extort money from drivers on the roads.",
            "Граждане часто дают взятки чиновникам за выдачу обычных справок.",
        ],
    ),
    (
        "anti-corruption",
        [
            "Employees who report wrongdoing face retaliation from their superiors.",
            "We have no law protecting whistleblowers.",
            "Staff are afraid to speak up about misconduct by their bosses.",
            "Our integrity hotline receives very few reports because people distrust it.",
        ],
    ),
    # ---------------- civil service ----------------
    (
        "civil service",
        [
            "Ghost workers on the payroll drain the budget.",
            "The HR database and payroll are not linked, so people who left are still paid.",
            "Payroll audits keep finding employees who do not exist.",
            "A folha de pagamento inclui funcionários fantasmas e pessoas já falecidas.",
            "Salaries continue to be paid to staff who retired or died long ago.",
        ],
    ),
    (
        "civil service",
        [
            "Appointments in the civil service depend on political connections rather than merit.",
            "Every change of government brings a mass replacement of staff.",
            "There are no competitive exams for entry into the public service.",
            "Nepotism determines who gets hired in our ministries.",
        ],
    ),
    (
        "civil service",
        [
            "Qualified IT specialists and economists leave the ministry for the private sector.",
            "Public salaries are too low to retain skilled professionals.",
            "We train staff and then lose them to donors and banks.",
            "Talented young officials quit the administration after a few years.",
        ],
    ),
    # ---------------- local government ----------------
    (
        "local government",
        [
            "Household waste is picked up only irregularly in our town.",
            "The single municipal dumpsite is close to full capacity.",
            "Sorting and recycling of refuse barely exist in our municipality.",
            "Residents burn rubbish or dump it in rivers and vacant plots.",
            "La recolección de basura en los barrios periféricos es muy deficiente.",
        ],
    ),
    (
        "local government",
        [
            "Our municipality collects very little property tax.",
            "The cadastre is outdated, so most buildings are missing from the tax roll.",
            "Local governments raise almost no revenue of their own.",
            "Real estate valuations have not been updated for decades.",
        ],
    ),
    (
        "local government",
        [
            "Responsibilities were decentralized to municipalities without the corresponding funds.",
            "Transfers from the central government arrive late and unpredictably.",
            "We do not know how much grant money we will receive until mid-year.",
            "Councils were handed new functions as unfunded mandates.",
        ],
    ),
    # ---------------- health ----------------
    (
        "health",
        [
            "Hospitals regularly run out of essential medicines.",
            "Patients are told to buy their own drugs at private pharmacies.",
            "Our medical supply chain cannot forecast demand, so clinics face shortages.",
            "Faltam medicamentos básicos nos centros de saúde do interior.",
            "Pharmaceuticals expire in central warehouses while rural facilities have none.",
        ],
    ),
    (
        "health",
        [
            "Doctors refuse to work in rural and remote districts.",
            "Village clinics are staffed only by nurses or community health workers.",
            "Many health posts outside the capital have no qualified personnel.",
            "Nurses trained at public expense emigrate abroad soon after graduating.",
        ],
    ),
    (
        "health",
        [
            "Families pay most medical costs out of their own pockets.",
            "A serious illness can push a household into poverty.",
            "Our health insurance scheme covers only formal sector workers.",
            "Нет всеобщего медицинского страхования, и люди платят за лечение из своего кармана.",
        ],
    ),
    # ---------------- education ----------------
    (
        "education",
        [
            "Children finish primary school unable to read a simple text.",
            "Students score poorly in national and international assessments.",
            "Pupils move up grades without mastering basic numeracy.",
            "Los alumnos terminan la primaria sin comprender lo que leen.",
        ],
    ),
    (
        "education",
        [
            "Teachers are frequently absent from rural schools.",
            "Educators are concentrated in cities while village schools lack staff.",
            "Many teachers hold second jobs and skip classes.",
            "We cannot monitor whether instructors actually show up to teach.",
        ],
    ),
    (
        "education",
        [
            "Many adolescents abandon secondary school before completing it.",
            "Poor families take children out of class to work on farms.",
            "Dropout is high in the transition from primary to lower secondary.",
            "Early school leaving is common among teenagers from poor households.",
        ],
    ),
    # ---------------- energy ----------------
    (
        "energy",
        [
            "Frequent blackouts disrupt businesses and hospitals.",
            "The grid cannot meet peak demand, so we have load shedding every evening.",
            "Companies rely on diesel generators because the power supply is unreliable.",
            "Os cortes de energia elétrica são constantes em todo o país.",
            "Electricity outages last for hours and damage equipment in our factories.",
        ],
    ),
    (
        "energy",
        [
            "Fuel subsidies cost us more than the whole health budget.",
            "Electricity tariffs are set far below cost recovery.",
            "Subsidized petrol mostly benefits wealthier car owners.",
            "Повышение тарифов на электроэнергию политически невозможно из-за протестов.",
        ],
    ),
    (
        "energy",
        [
            "The state power utility loses much of its electricity through theft and technical losses.",
            "Government agencies do not pay their electricity bills.",
            "Bill collection by the distribution company is very low.",
            "Many customers have illegal connections to the network.",
        ],
    ),
    # ---------------- social protection ----------------
    (
        "social protection",
        [
            "Cash transfers reach many households that are not poor.",
            "Many of the poorest families are excluded from social assistance.",
            "Our beneficiary lists are manipulated by local leaders.",
            "We have no social registry to identify eligible households.",
            "Los programas sociales no llegan a quienes más los necesitan.",
        ],
    ),
    (
        "social protection",
        [
            "The pension fund deficit is covered from the state budget every year.",
            "People retire early and the retirement system cannot afford it.",
            "An ageing population threatens the sustainability of our pensions.",
            "The civil servants' retirement scheme runs a huge deficit.",
        ],
    ),
    (
        "social protection",
        [
            "Informal workers have no social insurance coverage at all.",
            "Farmers and street vendors have no pension or sickness benefits.",
            "Self-employed people do not contribute to social security.",
            "Gig and platform workers fall outside existing contributory schemes.",
        ],
    ),
    # ---------------- digital ----------------
    (
        "digital",
        [
            "Government databases cannot exchange data with each other.",
            "Citizens must submit the same documents to every agency.",
            "Each ministry built its own IT system with no common standards.",
            "There is no shared platform for information exchange between agencies.",
        ],
    ),
    (
        "digital",
        [
            "Ministry systems were recently hit by ransomware attacks.",
            "We lack a national computer emergency response team.",
            "Government websites are frequently hacked or defaced.",
            "Staff use weak passwords and there is no information security policy.",
        ],
    ),
    (
        "digital",
        [
            "Few citizens use the online services we launched.",
            "Most services still require a visit to an office with paper forms.",
            "We have no digital identity that people can use to sign in online.",
            "Muitos cidadãos não têm acesso à internet nem competências digitais.",
        ],
    ),
    # ---------------- justice ----------------
    (
        "justice",
        [
            "Court cases take years to be resolved.",
            "Judges have huge backlogs of pending files.",
            "Businesses avoid the courts because contract enforcement is so slow.",
            "Les procédures judiciaires durent beaucoup trop longtemps.",
            "Hearings are postponed again and again, so litigation drags on endlessly.",
        ],
    ),
    (
        "justice",
        [
            "Prisons hold far more inmates than their capacity.",
            "Many detainees wait for trial longer than their possible sentence.",
            "Overcrowded jails have poor sanitation and frequent riots.",
            "Most people behind bars have not yet been convicted.",
        ],
    ),
    # ---------------- regulation ----------------
    (
        "regulation",
        [
            "Starting a business requires too many permits and visits to offices.",
            "Obtaining a construction permit takes many months.",
            "Inspectors visit companies too often and demand informal payments.",
            "Regulatory red tape discourages private investment.",
            "Obtener una licencia de funcionamiento exige demasiados trámites.",
        ],
    ),
    (
        "regulation",
        [
            "New regulations are adopted without any impact assessment.",
            "Stakeholders are not consulted before laws are drafted.",
            "Our laws contradict each other and change too often.",
            "Нормативные акты принимаются без оценки их последствий для бизнеса.",
        ],
    ),
    # ---------------- statistics ----------------
    (
        "statistics",
        [
            "Our last population census is very old.",
            "Policymakers lack up-to-date data on poverty and employment.",
            "Household surveys are conducted rarely and depend on donor funding.",
            "Planners rely on obsolete demographic figures.",
        ],
    ),
    (
        "statistics",
        [
            "Many births and deaths are never registered.",
            "Civil registration coverage is low in rural areas.",
            "Causes of death are not recorded, so we cannot track mortality.",
            "Children without birth certificates cannot enrol in school.",
        ],
    ),
    # ---------------- centre of government ----------------
    (
        "centre of government",
        [
            "Ministries work in silos and do not coordinate policies.",
            "Cabinet decisions are taken without proper inter-ministerial consultation.",
            "Different ministries pursue contradictory strategies in the same sector.",
            "No existe coordinación entre los ministerios en temas transversales.",
        ],
    ),
    (
        "centre of government",
        [
            "We cannot track whether government programmes are being implemented.",
            "Presidential commitments are announced but rarely delivered.",
            "The national development plan is not linked to budgets or monitoring.",
            "There is no delivery unit to follow up on priority reforms.",
        ],
    ),
    # ---------------- transparency ----------------
    (
        "transparency",
        [
            "Les demandes d'accès à l'information restent sans réponse.",
            "Our freedom of information law is not implemented.",
            "Officials treat most documents as secret by default.",
            "Journalists cannot obtain basic government records.",
        ],
    ),
    (
        "transparency",
        [
            "The citizens' budget is not published.",
            "Budget documents are published late and are hard to understand.",
            "Parliament receives the finance bill with too little time to scrutinize it.",
            "Citizens have no opportunity to participate in fiscal decisions.",
        ],
    ),
    # ---------------- climate ----------------
    (
        "climate",
        [
            "Floods destroy roads and homes every rainy season.",
            "Droughts are becoming more frequent and hurt farmers.",
            "Our infrastructure is not designed to withstand extreme weather.",
            "We have no early warning system for climate disasters.",
        ],
    ),
    (
        "climate",
        [
            "We cannot track how much the budget spends on climate action.",
            "Access to international climate funds is complex and slow.",
            "Our NDC commitments are not costed or reflected in budgets.",
            "O orçamento não identifica as despesas relacionadas com o clima.",
        ],
    ),
    # ---------------- gender ----------------
    (
        "gender",
        [
            "Domestic violence is widespread and rarely reported.",
            "Police do not take complaints from women seriously.",
            "There are too few shelters for women escaping abuse.",
            "Victims of violence receive little support from the justice system.",
            "Las víctimas de violencia de género no denuncian por miedo.",
        ],
    ),
    (
        "gender",
        [
            "Few women hold senior positions in the civil service.",
            "Women are underrepresented in parliament and local councils.",
            "There is a large pay gap between men and women in the public sector.",
            "Management posts in the administration are overwhelmingly held by men.",
        ],
    ),
    # ---------------- state enterprises ----------------
    (
        "state enterprises",
        [
            "State-owned enterprises make losses and need repeated bailouts.",
            "Public companies accumulate debts that end up on the government's books.",
            "Our national airline survives only with budget support.",
            "Государственные предприятия убыточны и постоянно требуют субсидий из бюджета.",
        ],
    ),
    (
        "state enterprises",
        [
            "Board members of public companies are political appointees.",
            "State firms do not publish audited financial statements.",
            "Ownership of state enterprises is split among many ministries.",
            "Managers of state companies are chosen for loyalty rather than competence.",
        ],
    ),
]
