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
    "Initiative",
    "Invitation",
    "Membership",
    "Risk",
    "Role",
    "Scoping",
    "Stage",
    "StageChange",
]
