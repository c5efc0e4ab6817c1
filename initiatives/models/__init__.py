from .initiative import (
    Initiative,
    Invitation,
    Membership,
    Role,
    Stage,
    StageChange,
)
from .peer_import import PeerImport

__all__ = ["Initiative", "Invitation", "Membership", "PeerImport", "Role", "Stage", "StageChange"]
