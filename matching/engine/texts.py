"""Words, sentences and challenge concepts: what peers wrote, made comparable.

Text is compared as accent-free lower-case words, their 5-letter prefixes (a crude stemmer
that works for any alphabet) and *challenge concepts*: a small multilingual lexicon of
public-sector vocabulary (payroll, arrears, procurement, ...), so that the same problem
written in other words, or in French, Spanish, Portuguese or Russian, still matches.
Hyphenated words ("gender-responsive") also count as their parts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .data import Peer

_STOPWORDS_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
me more most my no nor not now of off on once only or other our ours out over own same she
should so some such than that the their them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you
your many much every get gets got make makes made well still yet even very within without
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
tu un une vos votre vous est sont ete etre avoir ont fait plus tres tout tous toutes cette cet
el la los las un una unos unas y o de del al en con por para que se su sus es son fue ser esta
estan como mas pero sin sobre entre muy ya le les lo nos nuestro nuestra nuestros nuestras
os as um uma uns umas e do da dos das no na nos nas ao aos com por para pelo pela que se seu sua
der die das den dem des ein eine einer und oder nicht ist sind mit von zu im auf fur als auch
il lo gli di da per tra fra che non sono
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него
до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
тебя их чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того потому
этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой
им более всегда конечно всю между наш наша наши это являются является
"""


# Words every challenge statement uses; they say nothing about which problem it is.
_GENERIC_TEXT = """
want wants wanted need needs needed lack lacks lacking many most very new one two three make
makes take takes year years every still often long big large good poor low high little few
much time times way use used using able almost like get gets getting difficult problem problems
issue issues challenge challenges main key current currently government governments public
ministry ministries agency agencies state national country countries sector office offices
institution institutions department departments system systems process processes reform
reforms level levels area areas work works working people other others whether without
"""


# Challenge concepts: label -> words. "word*" matches any word starting with "word".
_CONCEPTS_TEXT = """
payroll: payroll* salar* pay wage wages paycheck* remunerat* salair* paie sueldo* nomina* remuner*
 зарплат* заработн* оклад* жалован*
payment: payment* pay paid unpaid paying bill bills invoice* paiement* pago pagos pagar
 pagamento* платеж* оплат*
 выплат*
arrears: arrear* overdue unpaid outstanding owe owes owed owing impaye* arriere* adeud* atrasad*
 задолж* просроч* недоимк*
delays: delay* late slow* backlog* postpon* wait waiting waits lengthy queue* retard* lent lente
 demora* retraso* lento lenta atraso* задерж* медленн* отлож* очеред*
local government: municip* city cities town towns townhall* local mayor mayors commune* ville*
 ciudad*
 ayuntamiento* alcald* prefeitura* muncipal* муницип* город* местн* мэр*
staff: staff employee* personnel worker* workforce servant* fonctionnaire* employe* empleado*
 funcionari* trabajador* servidor* сотрудник* служащ* работник* кадр* персонал*
suppliers: supplier* vendor* contractor* fournisseur* prestataire* proveedor* fornecedor*
 contratista* поставщик* подрядчик*
public debt: debt* debts borrow* loan loans lender* dette* emprunt* deuda* prestamo* divida*
 emprestimo* долг* заем* займ* заимствован* кредит*
budget: budget* presupuest* orcament* бюджет*
spending: spend* spent expenditure* expense* outlay* disburs* depense* gasto* despesa* расход*
 затрат*
investment: invest* infrastructur* capex inversion* investiss* инвестиц* инфраструктур*
 капитальн*
programmes: programme* program programs programa* программ*
performance: performance* result results outcome* objective* indicator* kpi* resultado*
 indicador* rendimiento desempen* resultat* результат* показател* результативн*
forecasts: forecast* projection* ceiling* ceilings outer medium multiyear previsi* plafond*
 techo* previs* прогноз* среднесрочн* потолк*
treasury: treasur* cash liquidit* idle tresor* tesor* efectivo* liquidez* казнач* ликвидн*
bank accounts: bank banks banking account accounts banque* banco* bancari* банк* счет* счета
fiscal risks: liabilit* guarante* bailout* contingent* hidden garant* passif* pasivo*
 обязательств* гарант*
accounting: accounting accountant* bookkeep* accrual* ipsas ledger* statements comptab* contab*
 бухгалт* учет*
transparency: transparen* disclos* publish* publication* access accessible opaque* transparenc*
 publicac* прозрачн* публикац* открыт* доступ*
citizens: citizen* resident* people household* citoyen* ciudadan* cidada* habitant*
 vecino* граждан* жител* населен*
gender: gender women woman female* equality genre femme* femmes genero mujer* igualdad гендер*
 женщин* равенств*
climate and environment: climat* environment* carbon emission* green ecolog* environnement*
 ambiental* ambiente климат* эколог* выброс* углерод*
transfers: transfer transfers grant grants equalis* equaliz* intergovernmental subvention*
 transferencia* трансферт* дотац* субвенц*
tax: tax taxes taxed taxpayer* taxation vat impot* impots impuest* tribut* налог* ндс
refunds: refund* reimburs* rembours* devoluc* reembols* возмещ* возврат*
revenue: revenue* collect* collection* receipt* recette* recouvr* recaud* ingreso* receita*
 arrecad* доход* поступлен* сбор* собираем*
informal economy: informal* shadow* undeclared* unregistered* registering informel* sumergid*
 неформальн* тенев*
small business: trader* entrepreneur* sme smes pme pmes pyme pymes micro self-employed
 autonomo* предпринимател* малого малый
online services: online digital* electronic* portal* internet web website* platform* numerique*
 electronique* electronica* digitale* plataforma* linea электрон* цифров* онлайн* портал*
paper: paper* manual* papier* papel* бумаж*
declarations: declaration* declare* declared filing* returns declarac* декларац*
property: propert* estate land building* buildings cadastr* foncier* immobil* catastr*
 inmueble* terreno* propiedad* недвиж* земел* земл* кадастр* имуществ*
multinationals: multinational* profit* abroad offshore foreign multinacional*
 etranger* extranjer* иностран* транснац* прибыл*
audit: audit* auditor* auditoria* auditoria* ревиз* аудит*
inspections and controls: inspect* control controls controller* checks checking inspeccion*
 controle* fiscaliz* провер* инспек* контрол*
risk: risk* risque* riesgo* risco* риск*
data: data database* dataset* analytic* statistic* donnee* datos dato statistique* estadistic*
 данн* статист* аналит*
customs and borders: custom* border* import* export* duty duties port ports douan* frontier*
 aduan* frontera* таможн* границ* импорт* экспорт*
smuggling: smuggl* contraband* undervalu* contrebande* contrabando* контрабанд*
corruption: corrupt* brib* kickback* rigged corrup* soborn* coima* коррупц* взятк* подкуп*
integrity: integrit* ethic* etica* ethique* этик* добросовестн*
procurement: procur* tender* bid bids bidder* bidding purchas* buyer* marches achat* achats
 licitac* adquisic* compra compras contratacion* закуп* тендер* торг*
competition: competit* monopol* concurrenc* конкуренц*
contracts: contract* amendment* variation* overrun* contrat* contrato* контракт* договор*
skills and training: train* skill* capacit* competenc* certif* course* courses formation*
 competence* обучен* навык* квалификац* подготовк* компетенц*
careers: career* promotion* carriere* carrera* карьер*
asset declarations: asset* wealth* enrich* patrimoine* patrimonio* riqueza* имуществ* актив*
conflicts of interest: conflict* recus* relatives interests conflit* conflicto* конфликт*
 родствен*
whistleblowers: whistleblow* retaliat* denounc* reprisal* denunci* represal* lanceur*
 информатор* разоблач*
permits and licences: permit* licen* certificate* certificates authoris* authoriz* permis
 autorisation* licenc* permiso* разрешен* лиценз* справк*
public services: service services servicio* servico* услуг* обслуживан*
health: health* hospital* clinic* medical* patient* doctor* nurse* physician* sante hopita*
 salud sanidad saude sanitari* здрав* больниц* медиц* пациент* врач*
medicines: medicine* drug drugs pharma* medicament* farmac* лекарств* фармац* препарат*
shortages: shortage* stock-out* stockout* scarcit* penurie* manque* escasez*
 desabastec* carenc* дефицит* нехватк*
insurance: insur* coverage assurance* seguro* страхов*
rural areas: rural* remote village* villages countryside campagne* remoto* remota* сельск*
 деревн* отдален*
energy: energ* electric* power grid* utilit* gas fuel* heating electricit* electricidad*
 энерг* электр* газ* топлив*
subsidies and tariffs: subsid* tariff* price prices tarif* subvenc* precio* prix субсид*
 тариф* цен
renewable energy: renewab* solar wind renouvel* renovabl* возобновл* солнечн* ветр*
efficiency: efficien* effectiv* efficac* eficien* eficac* эффективн*
water: water sanitation sewage* leak* leaks eau agua* вод* канализ*
waste: waste garbage* rubbish* landfill* recycl* dechet* ordure* residuo* basura* reciclaj*
 отход* мусор* свалк*
transport: transport* bus buses traffic* congestion* passenger* road roads transit commut*
 trafic* autobus* trafico* транспорт* автобус* дорог* пробк*
education: school* educat* teacher* pupil* student* teaching classroom* learn*
 literacy reading ecole* enseign* eleve*
 escuel* educac* docente* maestro* alumno* школ* образован* учител* учени* студент*
poverty and social assistance: poor poorest poverty welfare* benefit* assistance* allowance*
 pauvre* pauvret* pobre* pobreza* asistencia* бедн* пособи* малоимущ*
pensions: pension* retire* retirement retraite* jubilac* aposentad* пенси*
population ageing: aging ageing elderly demograph* vieillis* envejec* старен*
registries: regist* interoperab* registre* registro* реестр* регистр*
cybersecurity: cyber* security hack* ransomware* attack* malware* securit* seguridad* кибер*
 безопасн* атак*
courts and justice: court courts judge* judic* trial trials litigat* dispute* tribunal* juge
 juges justice juez* juzgado* суд* судь*
laws and regulation: regulat* law laws legislation* rule rules decree* reglement* regulac* ley
 leyes закон* регулир* норматив*
consultation: consult* hearing* particip* involv* concert* consulta* участи* консульт* обсужд*
coordination: coordinat* silo silos coheren* fragment* cooperat* coordin* координ* согласован*
strategy and planning: strateg* plan plans planning planned planif* planific* стратег* план*
evaluation: evaluat* monitor* assess* apprais* rate rating ratings grade grades evalu*
 seguimiento* suivi оценк* мониторинг*
parliament: parliament* legislature* legislator* legislative lawmaker* deputies mps parlement*
 parlamento* congreso* парламент* депутат*
recommendations: recommend* follow-up finding findings recommandation* recomendac* рекомендац*
irregularities: irregular* misconduct* wrongdoing* fraud* abuse* misuse* fraude* нарушен*
 злоупотреб* мошеннич*
independence: independ* autonom* independan* independen* независим*
ownership: own owns owned owner owners ownership beneficial shell proprietaire* propietari*
 beneficiari*
 владел* собственник* бенефициар*
recruitment: recruit* hiring hire hired appoint* exam exams examination* recrut* embauch* reclut*
 nombramiento* найм*
 назначен*
merit and patronage: merit* politic* patronage* nepot* connection* clientel* favorit* merite*
 merito* политич* кумовств* протекц*
staff turnover: turnover* leave leaving quit quits attrition* retention* retain* exodus* drain
 depart* rotation* abandon* отток* текучест* увольн*
ghost workers: ghost* fictitious* fake phantom* fictif* fictici* фиктивн*
regions: region* decentral* provinc* subnational regional* provincia* регион* област*
projects: project* proyecto* projet* проект*
civil service: civil servant* fonctionnaire* funcionari* госслуж* служащ*
health workers: doctor* nurse* physician* midwi* medecin* infirmi* medico* medicos enfermer*
 врач* медсестр*
funding: fund funds funded funding underfunded financing insufficient money financement*
 financiamiento* financiacion* финансирован*
losses: loss losses lost losing leak* theft pertes perdida* потер*
paperwork: paperwork document* forms formalit* tramite* documentos документ*
 submit* one-stop guichet* ventanilla* справк*
budget execution: execut* unused underspen* under-spen* lapse lapses lapsed absorb* allocat*
 appropriat* carry-over carryover* execution ejecuc* исполнен* освоен*
state-owned enterprises: enterprise* corporation* compan* soe soes parastatal* entreprise*
 empresa* предприят* госкомпан* корпорац*
centre of government: cabinet* prime premier* presiden* council* decision-mak* gabinete*
 conseil* правительств* кабинет*
data quality: reliab* unreliab* accura* inaccura* incomplete* inconsisten* incompatib*
 format formats method* methodolog* survey* census* fiabl* fiabilid* достоверн* методолог*
competition: single-source* sole-source* non-competitive* uncompetitive* collusi* cartel*
 rigging* gre-a-gre adjudicacion* directa* неконкурентн* сговор*
procurement: award* awarding adjudic* attribution* marche*
corruption: fraud* petty extort* gift* graft embezzl* informal-payment* pot-de-vin*
 mordida* propina* вымогат* откат*
whistleblowers: hotline* anonym* channel* signal* lanceurs* denuncia* сообщ*
asset declarations: unexplain* illicit* lifestyle* income* revenus* ingresos* доход*
parliament: committee* scrutin* oversight* debat* commission* comision* комитет* комисс*
 надзор*
consultation: voice* engag* vote votes voting deliberat* co-design*
skills and training: professional-development* upskill* reskill* mentor* coach* induction*
 curricul* workshop* perfectionnement* capacitac* повышен*
staff: specialist* expert* professional* official* officer* agent* specialiste* especialist*
 специалист* эксперт* чиновник*
staff turnover: resign* poach* lose losing outflow* exit* brain-drain* fuite* fuga* уход*
poverty and social assistance: social* target* targeting beneficiar* needy vulnerable*
 cash-transfer* transfert* ciblage* focaliz* адресн* социальн*
cybersecurity: ict computer* software* server* breach* incident* vulnerab* informatique*
 informatic* компьютер* информационн*
energy: insulat* retrofit* thermal* renovat* isolation* aislamiento* утепл* теплов*
efficiency: insulat* retrofit* savings
renewable energy: clean hydro* geotherm* biomass* propre* limpia* чист*
health: sick* ill illness* disease* care inpatient* outpatient* hospitalis* hospitaliz*
 maladi* enfermedad* болезн*
household costs: out-of-pocket pocket afford* unafford* catastrophic* copay* co-pay*
 user-fee* fees cost costs expensive* couts cout coste* costo* стоимост* расход*
registries: sharing exchange* once-only echange* intercambi* обмен*
transparency: information* reuse* re-use* machine-readable open-data informac* информац*
public debt: interest refinanc* maturit* currenc* bond bonds eurobond* obligation* bono*
 облигац* процент*
ghost workers: headcount* deceased dead absent* absentee* duplicate* doublon* duplicad*
 мертв* умерш*
laws and regulation: draft* drafting legislat* projet* proyecto* законопроект*
evaluation: analys* analyz* impact* measur* mesur* medic* измер* анализ* воздейств*
performance: measur* target* targets mesur* medic* измер*
multinationals: intra-group* related-party* affiliate* filiale* filial*
payroll: bonus* allowance* scale* grille* escalafon* тарифн* надбавк* преми*
permits and licences: construct* zoning urbanis* urbaniz* строительн*
online services: e-government e-services e-service usage uptake user users usuario*
 utilisateur* пользоват*
"""


_ACCENTS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=100_000)
def normalise(text: str) -> str:
    """Lower-case and strip accents, so "Économie" and "economie" are the same word."""
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text.casefold()))


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@lru_cache(maxsize=100_000)
def split_words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(normalise(text)))


STOPWORDS = frozenset(normalise(_STOPWORDS_TEXT).split())
_GENERIC = frozenset(normalise(_GENERIC_TEXT).split())


def _load_concepts() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    exact: dict[str, list[str]] = {}
    prefix: dict[str, list[str]] = {}
    for line in re.split(r"\n(?! )", _CONCEPTS_TEXT.strip()):
        label, _, patterns = line.partition(":")
        for pattern in normalise(patterns).split():
            table = prefix if pattern.endswith("*") else exact
            table.setdefault(pattern.rstrip("*"), []).append(label.strip())
    return (
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in prefix.items()},
    )


_CONCEPT_EXACT, _CONCEPT_PREFIX = _load_concepts()
_PREFIX_LENGTHS = sorted({len(p) for p in _CONCEPT_PREFIX})
_STEM = 5


@lru_cache(maxsize=200_000)
def _concepts_of(word: str) -> tuple[str, ...]:
    """Concept labels of a word; a hyphenated word also has those of its parts."""
    found = list(_CONCEPT_EXACT.get(word, ()))
    for length in _PREFIX_LENGTHS:
        if length > len(word):
            break
        found.extend(_CONCEPT_PREFIX.get(word[:length], ()))
    if "-" in word:
        for part in word.split("-"):
            found.extend(_concepts_of(part))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=200_000)
def _word_features(word: str) -> tuple[str, ...]:
    """Features of one normalised word: itself, its 5-letter stem, and its concepts.

    A hyphenated word ("gender-responsive") also gives the words and stems of its parts.
    """
    features: list[str] = []
    parts = [word, *word.split("-")[: 4 if "-" in word else 0]]
    for part in parts:
        if part not in STOPWORDS and part not in _GENERIC and len(part) > 1:
            features.append(part)
            if len(part) > _STEM:
                features.append(part[:_STEM])
    features.extend("~" + label for label in _concepts_of(word))
    return tuple(dict.fromkeys(features))


def _features(text: str) -> list[str]:
    return [f for word in split_words(text) for f in _word_features(word)]


def sentences_of(text: str) -> list[str]:
    """The text's sentences, stripped, in order."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _sentence_key(sentence: str) -> str:
    return " ".join(split_words(sentence))


class TextContext:
    """What the whole set of peers says: boilerplate sentences and how rare each word is.

    A sentence that at least 5% of the peers (and 3) write word for word, such as "I work in
    the public sector of my country.", is boilerplate and dropped from the challenges; a
    text of nothing but boilerplate is kept as it is.
    """

    BOILERPLATE_SHARE = 0.05
    BOILERPLATE_MIN_PEERS = 3

    def __init__(self, peers: Sequence[Peer]) -> None:
        counts: Counter[str] = Counter()
        split = []
        for peer in peers:
            keyed = [(s, _sentence_key(s)) for s in sentences_of(peer.challenges)]
            split.append(keyed)
            counts.update({key for _, key in keyed})
        limit = max(self.BOILERPLATE_MIN_PEERS, self.BOILERPLATE_SHARE * len(peers))
        self.boilerplate = frozenset(key for key, count in counts.items() if key and count >= limit)
        self.cleaned = [
            self._without_boilerplate(keyed, peer.challenges)
            for peer, keyed in zip(peers, split, strict=True)
        ]
        self._cleaned_by_text = {p.challenges: c for p, c in zip(peers, self.cleaned, strict=True)}
        word_counts: Counter[str] = Counter()
        for text in self.cleaned:
            word_counts.update(set(split_words(text)))
        self.peer_count = len(peers)
        self.idf = {w: math.log((1 + len(peers)) / (1 + c)) + 1 for w, c in word_counts.items()}
        self._terms: dict[str, tuple[tuple[str, str], ...]] = {}

    def clean(self, text: str) -> str:
        """The challenge text without boilerplate sentences (all of it if nothing else is left)."""
        return self._without_boilerplate([(s, _sentence_key(s)) for s in sentences_of(text)], text)

    def _without_boilerplate(self, keyed: list[tuple[str, str]], text: str) -> str:
        kept = [sentence for sentence, key in keyed if key not in self.boilerplate]
        return " ".join(kept) if kept else text

    def is_common(self, word: str) -> bool:
        """True for words so widespread that naming them explains nothing."""
        if self.peer_count < 20:
            return False
        return self.idf.get(word, 99.0) < math.log(1 / 0.25) + 1

    def terms(self, peer: Peer) -> tuple[tuple[str, str], ...]:
        """Concept labels and salient words of a peer's challenges, in order of appearance."""
        if peer.id not in self._terms:
            text = self._cleaned_by_text.get(peer.challenges)
            text = self.clean(peer.challenges) if text is None else text
            self._terms[peer.id] = _challenge_terms(text, self)
        return self._terms[peer.id]


def _challenge_terms(text: str, context: TextContext) -> tuple[tuple[str, str], ...]:
    """(key, shown) pairs: concept labels and salient words as the peer wrote them."""
    terms: list[tuple[str, str]] = []
    for shown in WORD.findall(unicodedata.normalize("NFC", text.casefold())):
        word = normalise(shown)
        labels = _concepts_of(word)
        terms.extend(("~" + label, label) for label in labels)
        salient = len(word) > 3 and word not in STOPWORDS and word not in _GENERIC
        if salient and not labels and not context.is_common(word):
            terms.append((word, shown))
    return tuple(dict.fromkeys(terms))


def term_keys(word: str) -> tuple[tuple[str, str], ...]:
    """The keys a normalised word can share with another peer's terms: itself and its concepts."""
    return (*(("~" + label, label) for label in _concepts_of(word)), (word, word))


_CONCEPT_SHARE = 0.65


def tfidf(
    documents: list[list[str]], *, sublinear_tf=True, use_idf=True, binary=False
) -> sp.csr_matrix:
    """TF-IDF rows of unit length of documents given as lists of features.

    idf = ln((1 + n) / (1 + df)) + 1; one zero column if every document is empty.
    Written here rather than taken from scikit-learn, whose import alone costs seconds.
    """
    if not any(documents):
        return sp.csr_matrix((len(documents), 1))
    columns: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, document in enumerate(documents):
        for feature, count in Counter(document).items():
            rows.append(row)
            cols.append(columns.setdefault(feature, len(columns)))
            counts.append(count)
    values = np.asarray(counts, dtype=np.float64)
    if binary:
        values[:] = 1.0
    elif sublinear_tf:
        values = 1.0 + np.log(values)
    shape = (len(documents), len(columns))
    matrix = sp.csr_matrix((values, (rows, cols)), shape=shape)
    if use_idf:
        df = np.bincount(np.asarray(cols), minlength=len(columns))
        idf = np.log((1.0 + len(documents)) / (1.0 + df)) + 1.0
        matrix = matrix @ sp.diags(idf)
    return unit_rows(matrix.tocsr())


def unit_rows(matrix):
    """Rows scaled to unit length (zero rows stay zero); sparse stays sparse."""
    if sp.issparse(matrix):
        matrix = sp.csr_matrix(matrix, dtype=np.float64)
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def text_block(texts: Sequence[str]) -> sp.csr_matrix:
    """Words and stems, plus challenge concepts as a separate part, each row of unit length."""
    features = [_features(text) for text in texts]
    words = tfidf([[f for f in doc if not f.startswith("~")] for doc in features])
    concepts = tfidf([[f for f in doc if f.startswith("~")] for doc in features])
    block = sp.hstack([math.sqrt(1 - _CONCEPT_SHARE) * words, math.sqrt(_CONCEPT_SHARE) * concepts])
    return unit_rows(block.tocsr())
