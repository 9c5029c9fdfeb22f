"""Lookups by number (``platform.sharing.lookups``): per-address limits on misses and on all lookups, shared by
the page, the JSON endpoint and GraphQL (each alias one lookup); the 查验入口 form that takes a typed number
(any letter case, spaces, full-width characters) to its verification; verification pages are not indexed."""
from datetime import timedelta

from sharing_support import put_license, seed
from starlette.testclient import TestClient

from tongban.platform.db import utcnow
from tongban.platform.sharing import lookups
from tongban.platform.sharing.service import SharingService

VERIFY = 'query($n: String!) { verifyLicense(number: $n) { outcome } }'


def _graphql(client, query, variables=None) -> dict:
    return client.post("/graphql", json={"query": query, "variables": variables or {}}).json()


def _miss(client, times: int) -> None:
    for i in range(times):
        assert client.get(f"/api/sharing/verify/GUESS-4601-{i:06d}").status_code == 404


def test_misses_from_one_address_are_limited_on_the_page_json_and_graphql(app, db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "GOOD-0002")
    _miss(client, lookups.MISSES)
    refused = client.get(f"/api/sharing/verify/{number}")  # over the limit even a real number is refused
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"] == "rate_limited" and "查验过于频繁" in refused.json()["zh"]
    page = client.get(f"/verify/{number}")
    assert page.status_code == 429 and "查验过于频繁" in page.text and "Too many lookups" in page.text
    answer = _graphql(client, VERIFY, {"n": number})
    assert answer["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert answer["errors"][0]["extensions"]["retryAfter"] > 0
    with TestClient(app, client=("203.0.113.9", 40000)) as elsewhere:  # another address is not affected
        assert elsewhere.get(f"/api/sharing/verify/{number}").json()["outcome"] == "valid"
    later = utcnow() + lookups.WINDOW + timedelta(seconds=1)  # the window passes
    assert SharingService(db, secret_key=secret).verify(number, address="testclient", now=later).ok


def test_graphql_aliases_are_lookups_each(db, client):
    seed(db)
    aliases = " ".join(f'a{i}: verifyLicense(number: "GUESS-4601-{i:06d}") {{ outcome }}'
                       for i in range(lookups.MISSES))
    answer = _graphql(client, "{ %s }" % aliases)
    assert not answer.get("errors") and {v["outcome"] for v in answer["data"].values()} == {"NOT_FOUND"}
    again = _graphql(client, VERIFY, {"n": "GUESS-4601-999999"})
    assert again["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_real_licenses_are_not_misses_but_every_lookup_counts_against_a_generous_limit(db, client, secret,
                                                                                      monkeypatch):
    seed(db)
    number, _ = put_license(db, secret, "GOOD-0003")
    for _ in range(lookups.MISSES + 5):
        assert client.get(f"/api/sharing/verify/{number}").status_code == 200
    assert lookups.LOOKUPS >= 10 * lookups.MISSES
    monkeypatch.setattr(lookups, "LOOKUPS", lookups.MISSES + 5)
    assert client.get(f"/api/sharing/verify/{number}").status_code == 429


def test_malformed_numbers_are_misses_without_a_query(db):
    seed(db)
    service = SharingService(db, secret_key="x" * 40)
    assert service.verify("X" * 200, address="198.51.100.1").outcome == "not_found"
    assert lookups.normalise(" ｇａ－４６０１ 0001 ") == "ga-46010001"
    assert lookups.candidates("ga-4601") == ["ga-4601", "GA-4601"]


def test_verification_pages_are_not_indexed(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "GOOD-0004")
    for path in (f"/verify/{number}", "/verify/NOPE-0404", "/verify", f"/api/sharing/verify/{number}"):
        response = client.get(path)
        assert "noindex" in response.headers["x-robots-tag"], path
    for path in (f"/verify/{number}", "/verify"):
        assert '<meta name="robots" content="noindex' in client.get(path).text


def test_the_lookup_form_takes_a_typed_number_to_its_verification(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "GOOD-0005")
    form = client.get("/verify")
    assert form.status_code == 200 and 'action="/verify"' in form.text and 'name="number"' in form.text
    assert form.text.index("证照编号") < form.text.index("License number")  # Chinese first
    assert 'name="viewport" content="width=device-width' in form.text
    for typed in ("  good-0005 ", "ｇｏｏｄ－０００５", "GOOD-0005"):
        sent = client.get("/verify", params={"number": typed}, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"].lower() == "/verify/good-0005", typed
        page = client.get(sent.headers["location"])
        assert page.status_code == 200 and 'data-outcome="valid"' in page.text and f">{number}<" in page.text
    assert client.get("/verify/", follow_redirects=False).headers["location"] == "/verify"


def test_the_lookup_form_tells_what_is_wrong_with_the_number(db, client):
    seed(db)
    for typed, zh, en in (("", "请填写证照编号", "Enter the license number"),
                          ("GOOD-0005!", "证照编号只含字母、数字", "A license number has 4 or more letters"),
                          ("A" * 81, "证照编号不超过 80 个字符", "at most 80 characters")):
        page = client.get("/verify", params={"number": typed})
        assert page.status_code == 422 and zh in page.text and en in page.text, typed
        assert 'aria-invalid="true"' in page.text and 'aria-describedby="number-hint number-error"' in page.text
    assert client.get("/verify", params={"number": "GOOD-0005!"}).text.count('value="GOOD-0005!"') == 1


def test_a_number_with_a_slash_verifies(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "SC/4601/0001")
    assert client.get(f"/api/sharing/verify/{number}").json()["outcome"] == "valid"
    assert client.get("/verify", params={"number": "sc/4601/0001"}).status_code == 200  # followed to the page
