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
    "Risk",
    "Role",
    "Scoping",
    "Stage",
    "StageChange",
]
