"""`python -m services.profiles api|worker`."""

from services.profiles.app import create_app
from services.profiles.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("profiles", create_app, loops)
