"""`python -m services.notifications api|worker`."""

from services.notifications.entrypoints.app import create_app
from services.notifications.entrypoints.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("notifications", create_app, loops)
