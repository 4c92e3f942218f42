"""`python -m services.analytics api|worker`."""

from services.analytics.app import create_app
from services.analytics.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("analytics", create_app, loops)
