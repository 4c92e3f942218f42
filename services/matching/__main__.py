"""`python -m services.matching api|worker`."""

from services.matching.entrypoints.app import create_app
from services.matching.entrypoints.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("matching", create_app, loops)
