"""The benchmark's baseline: a bare Flask + pymongo endpoint doing the same find_one / replace_one."""

from __future__ import annotations

import os

from flask import Flask, request
from pymongo import MongoClient


def create_app() -> Flask:
    app = Flask("baseline")
    client = MongoClient(os.environ["MONGODB_URI"])
    people = client[os.environ.get("MONGODB_DB", "tandem_bench")]["baseline_people"]

    @app.get("/people/<employee_id>")
    def read(employee_id: str):
        doc = people.find_one({"_id": employee_id})
        return (doc, 200) if doc else ({"detail": "not found"}, 404)

    @app.put("/people/<employee_id>")
    def write(employee_id: str):
        doc = {"_id": employee_id, **request.get_json()}
        people.replace_one({"_id": employee_id}, doc, upsert=True)
        return doc

    return app
