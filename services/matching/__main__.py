"""`python -m services.matching api|worker`."""

from services.matching.app import create_app
from services.matching.worker import loops
from shared.serve import main

if __name__ == "__main__":
    main("matching", create_app, loops)
