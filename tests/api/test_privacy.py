"""Every endpoint this package adds, on the demo site: no ID number, no volunteer's or
reporter's name or phone, no reported place (it may be a home address)."""

import json
from xml.etree import ElementTree

import pytest

from portal.cases.models import Case, CaseCategory
from portal.snippets.models import Grid, GridStaff, Volunteer
from portal.snippets.pii import decrypt_id_number

pytestmark = pytest.mark.django_db


def private_values():
    """What must never be served, minus values that are public for another reason
    (a volunteer who is also on a grid's public board)."""
    public_names = set(GridStaff.objects.values_list("name", flat=True))
    public_phones = set(GridStaff.objects.values_list("work_phone", flat=True))
    secrets = set()
    for volunteer in Volunteer.objects.all():
        secrets.add(decrypt_id_number(volunteer.id_number_encrypted))
        if volunteer.name not in public_names:
            secrets.add(volunteer.name)
        if volunteer.phone and volunteer.phone not in public_phones:
            secrets.add(volunteer.phone)
    for name, phone, place in Case.objects.values_list("reporter_name", "reporter_phone", "place"):
        secrets |= {name, phone, place} - public_names - public_phones
    return {s for s in secrets if s and len(s) >= 2}


def endpoint_urls():
    urls = [
        "/api/schema/?format=json",
        "/api/docs/",
        "/api/registers/regions/",
        "/api/registers/case-stats/",
        "/api/registers/case-stats/monthly/?months=36",
        "/api/registers/disclosure-compliance/?page_size=500",
        "/open311/v2/discovery.json",
        "/open311/v2/services.json",
        "/open311/v2/services.xml",
        "/api/v2/pages/?fields=*&limit=100",
    ]
    for grid_count in range(0, Grid.objects.count(), 200):
        urls.append(f"/api/registers/grids/?page_size=200&page={grid_count // 200 + 1}")
    for code in Grid.objects.values_list("code", flat=True)[:20]:
        urls.append(f"/api/registers/grids/{code}/")
    for code in CaseCategory.objects.values_list("code", flat=True):
        urls += [f"/open311/v2/services/{code}.json", f"/open311/v2/services/{code}.xml"]
    public = Case.objects.filter(is_public=True)
    for page in range(1, public.count() // 100 + 2):
        urls += [
            f"/open311/v2/requests.json?page_size=100&page={page}",
            f"/open311/v2/requests.xml?page_size=100&page={page}",
        ]
    for number in public.values_list("number", flat=True)[:20]:
        urls.append(f"/open311/v2/requests/{number}.json")
    # private cases asked for by number must give nothing away either
    for number in Case.objects.filter(is_public=False).values_list("number", flat=True)[:20]:
        urls.append(f"/open311/v2/requests/{number}.xml")
    return urls


def test_demo_site_endpoints_leak_no_personal_data(client, demo_data):
    secrets = private_values()
    assert Case.objects.filter(is_public=True).exists()
    # the demo has reporters and volunteers: the check below has something to find
    assert len(secrets) >= Volunteer.objects.count() > 0
    served = 0
    for url in endpoint_urls():
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        body = response.content.decode()
        if url.endswith(".xml") or ".xml?" in url:
            ElementTree.fromstring(response.content)  # well-formed
        elif "json" in response["Content-Type"]:
            json.loads(body)
        leaked = [s for s in secrets if s in body]
        assert not leaked, (url, leaked[:5])
        served += 1
    assert served > 20


def test_public_case_descriptions_are_the_public_summaries(client, demo_data):
    data = json.loads(client.get("/open311/v2/requests.json?page_size=100").content)
    summaries = dict(Case.objects.filter(is_public=True).values_list("number", "public_summary"))
    assert data
    for request in data:
        assert request["description"] == summaries[request["service_request_id"]]
