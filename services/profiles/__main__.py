"""`python -m services.profiles api|worker`."""

from services.profiles.entrypoints.app import create_app
from services.profiles.entrypoints.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("profiles", create_app, loops)
