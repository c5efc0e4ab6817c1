from .initiative import (
    Initiative,
    Invitation,
    Membership,
    Role,
    Stage,
    StageChange,
)

__all__ = ["Initiative", "Invitation", "Membership", "Role", "Stage", "StageChange"]
