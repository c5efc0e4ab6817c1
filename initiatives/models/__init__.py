from .foundation import (
    AgendaItem,
    Attendance,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    PeerContract,
)
from .initiative import (
    Initiative,
    Invitation,
    Membership,
    Role,
    Stage,
    StageChange,
)
from .peer_import import PeerImport
from .scoping import Risk, Scoping

__all__ = [
    "AgendaItem",
    "Attendance",
    "ContractTemplate",
    "EngagementOption",
    "EngagementSignUp",
    "Event",
    "Initiative",
    "Invitation",
    "Membership",
    "PeerContract",
    "PeerImport",
    "Risk",
    "Role",
    "Scoping",
    "Stage",
    "StageChange",
]
