"""Locust users for the load test: respondents who answer and autosave, and readers.

``bench.load.run_load`` starts Locust with three environment variables: ``LOAD_ACCOUNTS`` (the
JSON file of accounts it created), ``LOAD_RESPONDENTS`` (how many users answer, while the rest read) and
``LOAD_ACKNOWLEDGEMENTS`` (where to write, at the end, every answer the server acknowledged and
every status code seen). Each respondent account is used by one simulated user only, and its
requests go one after another, so the last acknowledged value of an answer is the one the database
must hold.
"""

import json
import os
import random
import re
from collections import Counter

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"]).read())
RESPONDENT_COUNT = int(os.environ.get("LOAD_RESPONDENTS", len(ACCOUNTS["respondents"])))
RATINGS = ["1", "2", "3", "4", "not-sure", "not-applicable"]
NOTES = ["", "", "Raised at the March partnership meeting.", "Ask the HR director for the hiring numbers."]
CSRF_TOKEN_PATTERN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RATING_FIELD_PATTERN = re.compile(r'name="rating-(\d+)"')

unused_respondents = list(ACCOUNTS["respondents"])
unused_readers = list(ACCOUNTS["readers"])
status_counts = Counter()
# (email, round id, indicator id) -> the last acknowledged value and any later ones still unacknowledged.
saves = {}
save_count = 0


@events.request.add_listener
def count_status(response=None, exception=None, **kwargs):
    status_counts[str(response.status_code) if response is not None and response.status_code else "no response"] += 1


@events.test_stop.add_listener
def write_acknowledgements(**kwargs):
    acknowledged = [
        {
            "email": email,
            "round_id": round_id,
            "indicator_id": indicator_id,
            "rating": value["acknowledged"][0],
            "note": value["acknowledged"][1],
            "unacknowledged": value["unacknowledged"],
        }
        for (email, round_id, indicator_id), value in saves.items()
        if value["acknowledged"] is not None
    ]
    server_errors = sum(count for status, count in status_counts.items() if status.startswith("5"))
    results = {
        "acknowledged": acknowledged,
        "save_count": save_count,
        "status_counts": dict(status_counts),
        "server_errors": server_errors,
    }
    with open(os.environ["LOAD_ACKNOWLEDGEMENTS"], "w") as results_file:
        json.dump(results, results_file)


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)

    def log_in(self, email):
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF_TOKEN_PATTERN.search(page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": email, "password": ACCOUNTS["password"], "csrfmiddlewaretoken": token},
            name="login",
        )


class Respondent(SignedInUser):
    """A respondent who answers the open round of one partnership, page by page, through autosave."""

    fixed_count = RESPONDENT_COUNT

    def on_start(self):
        self.account = unused_respondents.pop()
        self.log_in(self.account["email"])
        self.round_url = f"/partnerships/{self.account['partnership_id']}/rounds/{self.account['round_id']}/"

    @task(6)
    def answer_a_page(self):
        number = random.choice(ACCOUNTS["recommendation_numbers"])
        page = self.client.get(f"{self.round_url}answer/{number}/", name="answer page")
        indicator_ids = [int(match) for match in dict.fromkeys(RATING_FIELD_PATTERN.findall(page.text))]
        for indicator_id in random.sample(indicator_ids, k=min(len(indicator_ids), random.randint(1, 3))):
            self.autosave(number, indicator_id)

    @task(1)
    def open_round_overview(self):
        self.client.get(self.round_url, name="round overview")

    def autosave(self, number, indicator_id):
        global save_count
        value = [random.choice(RATINGS), random.choice(NOTES)]
        key = (self.account["email"], self.account["round_id"], indicator_id)
        entry = saves.setdefault(key, {"acknowledged": None, "unacknowledged": []})
        entry["unacknowledged"].append(value)

        response = self.client.post(
            f"{self.round_url}answer/{number}/autosave/",
            {f"rating-{indicator_id}": value[0], f"note-{indicator_id}": value[1]},
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="autosave",
        )
        if response.status_code == 200 and response.json().get("status") == "saved":
            entry["acknowledged"] = value
            entry["unacknowledged"] = []
            save_count += 1


class Reader(SignedInUser):
    """A facilitator who browses the tool library and reads a closed round's results."""

    weight = 1

    def on_start(self):
        self.account = unused_readers.pop() if unused_readers else random.choice(ACCOUNTS["readers"])
        self.log_in(self.account["email"])

    @task(3)
    def browse_tools(self):
        self.client.get("/tools/", name="tool list")
        slug = random.choice(ACCOUNTS["recommendation_slugs"])
        self.client.get(f"/tools/?recommendation={slug}&q=data", name="tool list, filtered")

    @task(1)
    def read_recommendation(self):
        self.client.get(f"/recommendations/{random.choice(ACCOUNTS['recommendation_slugs'])}/", name="recommendation")

    @task(2)
    def read_results(self):
        self.client.get(
            f"/partnerships/{self.account['partnership_id']}/rounds/{self.account['round_id']}/results/",
            name="results",
        )
