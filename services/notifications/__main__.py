"""`python -m services.notifications api|worker`."""

from services.notifications.app import create_app
from services.notifications.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("notifications", create_app, loops)
