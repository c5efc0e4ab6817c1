"""A third bank of challenge statements for the matching benchmark, never used for tuning.

48 problems from domains the other banks barely touch (procurement, health, customs, local
government, statistics, justice, land, water, agriculture, police, pensions...), each told
four ways by imagined officials: different vocabulary for the same problem, other facets of
it, and about one statement in six in French, Spanish, Russian or Portuguese.  Written for
the second round of matching by someone who had read the engine's code, but without
running the engine on it; no setting was chosen while looking at its results.
"""

# ruff: noqa: E501

THIRD_PROBLEMS: list[tuple[str, list[str]]] = [
    ("procurement", [
        "Most tenders for road works receive a single bid.",
        "Competition for our construction contracts is almost nonexistent; one firm usually applies.",
        "Contractors rarely compete: the same company wins nearly every highway job unopposed.",
        "La plupart de nos appels d'offres pour les routes n'attirent qu'un seul soumissionnaire.",
    ]),
    ("procurement", [
        "Hospitals buy the same syringes at wildly different prices.",
        "There is no central price reference, so each clinic negotiates medical consumables alone.",
        "We could save money by pooling purchases of gloves and bandages across facilities.",
        "Los hospitales compran los mismos insumos a precios muy distintos.",
    ]),
    ("procurement", [
        "Contract amendments double the cost of projects after signature.",
        "Variation orders are approved routinely and inflate the final price of works.",
        "Once the deal is signed, the supplier renegotiates and the budget balloons.",
        "Change orders after award are not reviewed by anyone independent.",
    ]),
    ("procurement", [
        "Small firms cannot meet the bank guarantee required to bid.",
        "Bid security rules shut out local small businesses from public contracts.",
        "Tiny enterprises never win tenders because collateral demands are too heavy.",
        "Малые предприятия не могут участвовать в торгах из-за требований к гарантиям.",
    ]),
    ("health", [
        "Patients in the north travel four hours to see a specialist.",
        "Rural residents have no access to cardiologists or other consultants nearby.",
        "Specialist doctors are concentrated in the capital, far from villages.",
        "Os pacientes do interior viajam horas para consultar um especialista.",
    ]),
    ("health", [
        "Emergency departments are overcrowded with minor cases.",
        "People go to the ER for colds because primary care is closed in the evening.",
        "Casualty wards are clogged by patients who could have seen a family doctor.",
        "Les urgences sont saturées par des cas bénins faute de médecins de garde.",
    ]),
    ("health", [
        "Vaccination coverage among children has dropped below eighty percent.",
        "Parents increasingly skip childhood immunisations.",
        "Measles has come back because fewer infants get their shots.",
        "La cobertura de vacunación infantil ha caído en los últimos años.",
    ]),
    ("health", [
        "Nurses emigrate as soon as they qualify.",
        "We train midwives and nurses who then leave for better pay abroad.",
        "Our nursing graduates take jobs in Western Europe within two years.",
        "Медсестры уезжают за границу сразу после обучения.",
    ]),
    ("customs", [
        "Trucks wait three days at the border crossing.",
        "Clearance of goods at the frontier takes far too long and queues stretch for kilometres.",
        "Hauliers lose days at our land border because inspections are slow.",
        "Los camiones esperan días en la frontera para el despacho aduanero.",
    ]),
    ("customs", [
        "Importers undervalue goods to pay less duty.",
        "Declared values on invoices are far below real prices, and tariffs are evaded.",
        "Under-invoicing of imports costs the treasury a lot of revenue.",
        "Les importateurs sous-déclarent la valeur des marchandises.",
    ]),
    ("customs", [
        "Every agency inspects the same container separately.",
        "Phytosanitary, veterinary and customs officers each open the cargo again.",
        "Border controls are duplicated across five different services.",
        "Traders must deal with several inspection bodies that do not coordinate.",
    ]),
    ("customs", [
        "Our risk management system selects almost all shipments for physical checks.",
        "Nearly every consignment goes to the red channel.",
        "We inspect too much cargo because profiling of risky traders does not work.",
        "Почти все грузы направляются на физический досмотр.",
    ]),
    ("local government", [
        "Municipal councils have no revenue of their own and depend on grants.",
        "Towns cannot raise taxes and wait for transfers from the capital.",
        "Local authorities have almost no own-source income.",
        "Los municipios dependen casi totalmente de las transferencias del gobierno central.",
    ]),
    ("local government", [
        "Property tax is barely collected because the cadastre is outdated.",
        "House values in the register date from decades ago, so real estate levies are tiny.",
        "Cities lose income since land and buildings are not properly valued.",
        "L'impôt foncier rapporte peu car le cadastre n'est pas à jour.",
    ]),
    ("local government", [
        "Small villages cannot afford qualified staff to run services.",
        "Tiny communes lack engineers, accountants and planners.",
        "Our rural municipalities are too small to hire skilled officials.",
        "Pequenos municípios não têm técnicos qualificados.",
    ]),
    ("local government", [
        "Garbage collection in the suburbs is irregular.",
        "Waste is picked up once a month in outlying neighbourhoods.",
        "Residents complain that refuse piles up on street corners.",
        "Вывоз мусора в пригородах происходит нерегулярно.",
    ]),
    ("statistics", [
        "The last population census was fifteen years ago.",
        "We have no recent headcount of residents, so planning relies on old figures.",
        "Our demographic data are outdated because the census keeps being postponed.",
        "El último censo de población se realizó hace quince años.",
    ]),
    ("statistics", [
        "Ministries produce figures that contradict the national statistics office.",
        "Line ministries publish their own numbers with different definitions.",
        "Official data on unemployment differ depending on which agency you ask.",
        "Les ministères publient des chiffres qui contredisent ceux de l'institut statistique.",
    ]),
    ("statistics", [
        "Administrative records are not used for statistics.",
        "Tax and social security files could replace surveys but nobody may access them.",
        "We run expensive surveys while registers already hold the information.",
        "Административные данные не используются для статистики.",
    ]),
    ("statistics", [
        "Quarterly GDP estimates are revised heavily.",
        "Our first growth figures are often changed by two points later.",
        "Early national accounts estimates are unreliable.",
        "As estimativas trimestrais do PIB são muito revistas.",
    ]),
    ("justice", [
        "Civil cases take seven years to reach a verdict.",
        "Commercial disputes drag on in court for most of a decade.",
        "Litigants wait years for judgments because of the backlog.",
        "Los juicios civiles tardan años en resolverse.",
    ]),
    ("justice", [
        "Court rulings are not enforced.",
        "Winning a case means little because bailiffs never collect the debt.",
        "Judgments stay on paper; enforcement officers do not act.",
        "Les décisions de justice ne sont pas exécutées.",
    ]),
    ("justice", [
        "Prisons hold twice as many inmates as places.",
        "Detention facilities are severely overcrowded.",
        "Too many people sit in jail awaiting trial.",
        "Тюрьмы переполнены, многие ждут суда годами.",
    ]),
    ("land", [
        "Most rural land has no registered title.",
        "Farmers cannot prove ownership of their fields.",
        "Plots in villages were never surveyed or recorded.",
        "A maioria das terras rurais não tem título registado.",
    ]),
    ("land", [
        "Registering a property sale takes months and many visits.",
        "Transferring ownership of an apartment requires endless stamps.",
        "Buying a house involves a slow, paper-based deed process.",
        "Inscrire une vente immobilière prend des mois.",
    ]),
    ("water", [
        "Half of the treated water is lost through leaking pipes.",
        "Non-revenue water is above fifty percent in the capital.",
        "Our distribution network is old and loses most of what we pump.",
        "La mitad del agua potable se pierde por fugas en la red.",
    ]),
    ("water", [
        "Water tariffs do not cover the cost of operating the utility.",
        "The water company cannot maintain pipes because prices are frozen.",
        "Households pay far less for water than it costs to supply.",
        "Тарифы на воду не покрывают затраты водоканала.",
    ]),
    ("agriculture", [
        "Farm subsidies go mostly to the largest landowners.",
        "Support payments to agriculture favour big estates over smallholders.",
        "Small farmers receive almost none of the aid for agriculture.",
        "Les aides agricoles profitent surtout aux grands exploitants.",
    ]),
    ("agriculture", [
        "Fertiliser vouchers arrive after the planting season.",
        "Inputs for farmers are distributed too late to be useful.",
        "Seeds and fertiliser reach growers when sowing is already over.",
        "Los insumos agrícolas llegan después de la siembra.",
    ]),
    ("police", [
        "Citizens do not report crimes because they distrust the police.",
        "Many victims never go to a police station.",
        "Public confidence in law enforcement is very low, so offences go unrecorded.",
        "Граждане не обращаются в полицию, потому что не доверяют ей.",
    ]),
    ("police", [
        "Traffic officers take bribes at roadside checks.",
        "Drivers pay cash to avoid fines at checkpoints.",
        "Petty extortion by road police is common.",
        "Os motoristas pagam subornos à polícia de trânsito.",
    ]),
    ("pensions", [
        "The pension fund will run out of money within ten years.",
        "Contributions no longer cover benefits for retirees.",
        "Our pay-as-you-go scheme faces a growing deficit as people age.",
        "Le régime de retraite sera déficitaire d'ici dix ans.",
    ]),
    ("pensions", [
        "Informal workers have no old-age coverage.",
        "Street vendors and farmers never contribute to any retirement scheme.",
        "Most self-employed people will have no pension.",
        "Los trabajadores informales no tienen jubilación.",
    ]),
    ("education", [
        "Children finish primary school without being able to read.",
        "Literacy results in grade three are very poor.",
        "Pupils cannot understand a simple text after four years of schooling.",
        "Les élèves sortent du primaire sans savoir lire.",
    ]),
    ("education", [
        "Teachers are absent from rural schools for weeks.",
        "Village classrooms often have no teacher present.",
        "Absenteeism of teaching staff outside the cities is high.",
        "Учителя в сельских школах часто отсутствуют.",
    ]),
    ("education", [
        "University graduates do not find jobs matching their degree.",
        "Employers say young graduates lack practical skills.",
        "Higher education does not prepare students for the labour market.",
        "Los egresados universitarios no encuentran empleo en su área.",
    ]),
    ("environment", [
        "Air pollution in the capital exceeds safe limits every winter.",
        "Smog from coal stoves chokes the city during the cold months.",
        "Residents breathe dangerous particulate levels in winter.",
        "La pollution de l'air dépasse les seuils chaque hiver.",
    ]),
    ("environment", [
        "Illegal logging is destroying our forests.",
        "Timber is cut without permits and sold across the border.",
        "Forest inspectors cannot stop unauthorised tree felling.",
        "A extração ilegal de madeira destrói as florestas.",
    ]),
    ("environment", [
        "Industrial plants ignore emission permits because fines are trivial.",
        "Factories pollute rivers since penalties cost less than compliance.",
        "Environmental inspections rarely lead to sanctions.",
        "Предприятия загрязняют реки, штрафы слишком малы.",
    ]),
    ("tax administration", [
        "Small shops do not issue receipts and underreport sales.",
        "Retailers hide turnover by dealing in cash.",
        "Shopkeepers avoid tax because till records are not checked.",
        "Los comercios no entregan recibos y ocultan ventas.",
    ]),
    ("tax administration", [
        "Filing a tax return online is so complicated that people hire agents.",
        "The e-filing portal is confusing and crashes near deadlines.",
        "Taxpayers give up on the website and queue at the office.",
        "La déclaration d'impôts en ligne est trop compliquée.",
    ]),
    ("social protection", [
        "Disability benefits take a year to be approved.",
        "People with disabilities wait months for their assessment.",
        "The medical commission for disability allowances is backlogged.",
        "Оформление пособия по инвалидности занимает год.",
    ]),
    ("social protection", [
        "Cash transfers reach families who are not poor.",
        "Many beneficiaries of the social programme are well off.",
        "Targeting errors send assistance to the wrong households.",
        "As transferências de renda chegam a famílias que não são pobres.",
    ]),
    ("energy", [
        "Power cuts last hours every day in summer.",
        "Blackouts are frequent because generation cannot meet demand.",
        "Electricity supply fails daily during heat waves.",
        "Los apagones duran horas cada día en verano.",
    ]),
    ("transport", [
        "Buses in the capital follow routes drawn thirty years ago.",
        "Public transport lines do not serve the new districts.",
        "Commuters from new suburbs have no bus connection.",
        "Les lignes de bus ne desservent pas les nouveaux quartiers.",
    ]),
    ("digital", [
        "Each ministry built its own database and none of them talk to each other.",
        "Citizens must provide the same certificate to every agency.",
        "Government systems cannot exchange data, so people carry papers between offices.",
        "Государственные системы не обмениваются данными.",
    ]),
    ("civil service", [
        "Young officials leave the ministry after two years for the private sector.",
        "We lose our best junior analysts to banks and consultancies.",
        "Talented staff quit early because salaries are uncompetitive.",
        "Os jovens servidores saem para o setor privado.",
    ]),
    ("housing", [
        "Young families cannot afford an apartment in the city.",
        "Rents in the capital have doubled in five years.",
        "Housing prices are out of reach for teachers and nurses.",
        "Les jeunes ménages ne peuvent pas se loger en ville.",
    ]),
]  # fmt: skip
