"""`python -m services.analytics api|worker`."""

from services.analytics.entrypoints.app import create_app
from services.analytics.entrypoints.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("analytics", create_app, loops)
