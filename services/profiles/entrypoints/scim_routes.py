"""The SCIM blueprint with every route on it (Users, discovery), and what the app adds for /scim/v2."""

from services.profiles.entrypoints import scim_discovery, scim_users  # noqa: F401 - their routes join scim.blp
from services.profiles.entrypoints.scim import blp as scim_blp
from services.profiles.entrypoints.scim import init_app as init_scim

__all__ = ["init_scim", "scim_blp"]
