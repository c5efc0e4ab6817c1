from .initiative import (
    Initiative,
    Invitation,
    Membership,
    Role,
    Stage,
    StageChange,
)

__all__ = ["Initiative", "Invitation", "Membership", "Role", "Stage", "StageChange"]

from .foundation import (  # noqa: E402  after the models they point at
    AgendaItem,
    Attendance,
    ContractTemplate,
    EngagementOption,
    EngagementSignUp,
    Event,
    PeerContract,
)

__all__ += [
    "AgendaItem",
    "Attendance",
    "ContractTemplate",
    "EngagementOption",
    "EngagementSignUp",
    "Event",
    "PeerContract",
]
