"""Print a development token: `python -m shared.devtoken --role program_admin [--employee-id E1]`."""

from __future__ import annotations

import argparse

from shared.auth import ROLES, issue_token
from shared.config import load_config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", action="append", choices=ROLES, help="repeat for several roles")
    parser.add_argument("--sub", default="dev-admin")
    parser.add_argument("--employee-id", default=None)
    parser.add_argument("--hours", type=int, default=24)
    args = parser.parse_args(argv)
    config = load_config("devtoken")
    if not config.auth_jwt_secret:
        parser.exit(2, "AUTH_JWT_SECRET is not set\n")
    roles = args.role or ["hr_admin", "program_admin"]
    print(issue_token(config.auth_jwt_secret, sub=args.sub, roles=roles, employee_id=args.employee_id,
                      ttl_seconds=args.hours * 3600, audience=config.auth_audience,
                      issuer=config.auth_issuer))


if __name__ == "__main__":
    main()
