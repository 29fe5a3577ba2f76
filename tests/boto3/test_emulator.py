"""boto3 against the cloudjobs emulator (started by run.sh; URL in CLOUDJOBS_EMULATOR_URL).

Covers the three AWS operations: full pagination with boto3's paginators, filters, modeled
errors (DoesNotExistException, ValidationException) and SigV4 signatures, accepted with the
emulator's credentials and rejected with a wrong secret.
"""

import json
import os
import urllib.request

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

URL = os.environ["CLOUDJOBS_EMULATOR_URL"]
ACCESS_KEY = "AKIDCLOUDJOBSEMU"
SECRET_KEY = "cloudjobs-emulator-secret"
CONFIG = botocore.config.Config(retries={"total_max_attempts": 1})


def client(service, secret=SECRET_KEY, region="us-east-1"):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=URL,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=secret,
        config=CONFIG,
    )


def admin(path):
    with urllib.request.urlopen(URL + "/_emulator" + path, timeout=10) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def fixture():
    return admin("/fixture")


# ---------------------------------------------------------------- Partner Central


def pcs_expected(jobs, catalog, status=None, engagement=None, descending=True):
    sel = [
        j
        for j in jobs
        if j["Catalog"] == catalog
        and (status is None or j["Status"] == status)
        and (engagement is None or j["EngagementId"] == engagement)
    ]
    # created time (ISO strings of one format sort chronologically), ties by id ascending
    sel.sort(key=lambda j: j["Id"])
    sel.sort(key=lambda j: j["CreatedDate"], reverse=descending)
    return [j["Id"] for j in sel]


def test_partner_central_paginates_and_filters(fixture):
    pcs = client("partnercentral-selling")
    jobs = fixture["partner_central"]
    pages = list(pcs.get_paginator("list_resource_snapshot_jobs").paginate(Catalog="AWS", PaginationConfig={"PageSize": 7}))
    assert len(pages) > 1
    got = [s["Id"] for p in pages for s in p["ResourceSnapshotJobSummaries"]]
    assert got == pcs_expected(jobs, "AWS")
    eng = next(j["EngagementId"] for j in jobs if j["Catalog"] == "Sandbox")
    for status in ("Running", "Stopped"):
        for order in ("ASCENDING", "DESCENDING"):
            pages = pcs.get_paginator("list_resource_snapshot_jobs").paginate(
                Catalog="Sandbox",
                Status=status,
                EngagementIdentifier=eng,
                Sort={"SortBy": "CreatedDate", "SortOrder": order},
                PaginationConfig={"PageSize": 1},
            )
            got = [s["Id"] for p in pages for s in p["ResourceSnapshotJobSummaries"]]
            assert got == pcs_expected(jobs, "Sandbox", status, eng, order == "DESCENDING")
    first = pcs.list_resource_snapshot_jobs(Catalog="AWS", MaxResults=1)
    item = first["ResourceSnapshotJobSummaries"][0]
    assert item["Arn"].startswith("arn:aws:partnercentral:")
    assert first["ResponseMetadata"]["RequestId"]


def test_partner_central_modeled_errors():
    pcs = client("partnercentral-selling")
    with pytest.raises(pcs.exceptions.ValidationException) as e:
        pcs.list_resource_snapshot_jobs(Catalog="not valid!")
    err = e.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err["Reason"] == "REQUEST_VALIDATION_FAILED"
    assert err["ErrorList"][0]["FieldName"] == "Catalog"
    with pytest.raises(pcs.exceptions.ValidationException):
        pcs.list_resource_snapshot_jobs(Catalog="AWS", MaxResults=5000)
    with pytest.raises(pcs.exceptions.ValidationException):
        pcs.list_resource_snapshot_jobs(Catalog="AWS", NextToken="not-a-token")
    with pytest.raises(pcs.exceptions.ResourceNotFoundException):
        pcs.list_resource_snapshot_jobs(Catalog="AWS", EngagementIdentifier="eng-zzzzzzzzzzzzzz")


# ---------------------------------------------------------------- Macie2


def test_macie2_paginates_filters_and_sorts(fixture):
    macie = client("macie2")
    jobs = fixture["macie2"]
    pages = list(macie.get_paginator("list_classification_jobs").paginate(PaginationConfig={"PageSize": 8}))
    assert len(pages) > 1
    got = [j["jobId"] for p in pages for j in p["items"]]
    want = sorted(jobs, key=lambda j: j["jobId"])
    want.sort(key=lambda j: j["createdAt"], reverse=True)
    assert got == [j["jobId"] for j in want]

    pages = macie.get_paginator("list_classification_jobs").paginate(
        filterCriteria={
            "includes": [{"comparator": "EQ", "key": "jobStatus", "values": ["RUNNING", "USER_PAUSED"]}],
            "excludes": [{"comparator": "STARTS_WITH", "key": "name", "values": ["daily"]}],
        },
        sortCriteria={"attributeName": "name", "orderBy": "ASC"},
        PaginationConfig={"PageSize": 3},
    )
    items = [j for p in pages for j in p["items"]]
    want = sorted(
        (j for j in jobs if j["jobStatus"] in ("RUNNING", "USER_PAUSED") and not j["name"].startswith("daily")),
        key=lambda j: (j["name"], j["jobId"]),
    )
    assert [j["jobId"] for j in items] == [j["jobId"] for j in want]
    for j in items:
        assert ("userPausedDetails" in j) == (j["jobStatus"] == "USER_PAUSED")
        assert j["createdAt"].tzinfo is not None

    resp = macie.list_classification_jobs(
        filterCriteria={"includes": [{"comparator": "GT", "key": "createdAt", "values": ["2025-04-01T00:00:00Z"]}]},
        maxResults=200,
    )
    want = [j["jobId"] for j in jobs if j["createdAt"] > "2025-04-01T00:00:00.000Z"]
    assert sorted(j["jobId"] for j in resp["items"]) == sorted(want)


def test_macie2_modeled_errors():
    macie = client("macie2")
    with pytest.raises(macie.exceptions.ValidationException) as e:
        macie.list_classification_jobs(filterCriteria={"includes": [{"comparator": "GT", "key": "createdAt", "values": ["soon"]}]})
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert e.value.response["Error"]["Message"]
    with pytest.raises(macie.exceptions.ValidationException):
        macie.list_classification_jobs(nextToken="garbage")


# ---------------------------------------------------------------- SSM


def test_ssm_paginates_and_filters(fixture):
    ssm = client("ssm")
    execution = fixture["ssm"][0]
    wid = execution["WindowExecutionId"]
    pages = list(
        ssm.get_paginator("describe_maintenance_window_execution_tasks").paginate(
            WindowExecutionId=wid, PaginationConfig={"PageSize": 10}
        )
    )
    assert len(pages) == (len(execution["Tasks"]) + 9) // 10
    got = [t["TaskExecutionId"] for p in pages for t in p["WindowExecutionTaskIdentities"]]
    assert got == [t["TaskExecutionId"] for t in execution["Tasks"]]
    tasks = [t for p in pages for t in p["WindowExecutionTaskIdentities"]]
    assert all(t["WindowExecutionId"] == wid for t in tasks)
    # StartTime / EndTime are epoch seconds on the wire, datetimes in boto3.
    assert any(t.get("StartTime") is not None and t["StartTime"].microsecond for t in tasks)

    pages = ssm.get_paginator("describe_maintenance_window_execution_tasks").paginate(
        WindowExecutionId=wid,
        Filters=[{"Key": "STATUS", "Values": ["SUCCESS", "FAILED", "TIMED_OUT"]}],
        PaginationConfig={"PageSize": 10},
    )
    got = [t["TaskExecutionId"] for p in pages for t in p["WindowExecutionTaskIdentities"]]
    want = [t["TaskExecutionId"] for t in execution["Tasks"] if t["Status"] in ("SUCCESS", "FAILED", "TIMED_OUT")]
    assert got == want


def test_ssm_modeled_errors():
    ssm = client("ssm")
    with pytest.raises(ssm.exceptions.DoesNotExistException) as e:
        ssm.describe_maintenance_window_execution_tasks(WindowExecutionId="00000000-0000-0000-0000-000000000000")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "does not exist" in e.value.response["Error"]["Message"]
    # Constraints botocore does not check client-side (pattern, max) reach the server.
    with pytest.raises(ssm.exceptions.ValidationException):
        ssm.describe_maintenance_window_execution_tasks(WindowExecutionId="zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")
    with pytest.raises(ssm.exceptions.ValidationException):
        ssm.describe_maintenance_window_execution_tasks(
            WindowExecutionId="00000000-0000-0000-0000-000000000000", MaxResults=1000
        )
    with pytest.raises(ssm.exceptions.ValidationException):
        ssm.describe_maintenance_window_execution_tasks(
            WindowExecutionId="00000000-0000-0000-0000-000000000000", Filters=[{"Key": "NAME", "Values": ["x"]}]
        )


# ---------------------------------------------------------------- SigV4


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
def test_signatures_accepted_in_any_region(region, fixture):
    wid = fixture["ssm"][0]["WindowExecutionId"]
    client("ssm", region=region).describe_maintenance_window_execution_tasks(WindowExecutionId=wid)
    client("macie2", region=region).list_classification_jobs()
    client("partnercentral-selling", region=region).list_resource_snapshot_jobs(Catalog="AWS")


def test_wrong_secret_is_rejected(fixture):
    wid = fixture["ssm"][0]["WindowExecutionId"]
    calls = [
        (client("ssm", secret="wrong"), lambda c: c.describe_maintenance_window_execution_tasks(WindowExecutionId=wid)),
        (client("macie2", secret="wrong"), lambda c: c.list_classification_jobs()),
        (client("partnercentral-selling", secret="wrong"), lambda c: c.list_resource_snapshot_jobs(Catalog="AWS")),
    ]
    for c, call in calls:
        with pytest.raises(ClientError) as e:
            call(c)
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert e.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_unknown_access_key_is_rejected():
    c = boto3.client(
        "ssm",
        region_name="us-east-1",
        endpoint_url=URL,
        aws_access_key_id="AKIDSOMEONEELSE",
        aws_secret_access_key=SECRET_KEY,
        config=CONFIG,
    )
    with pytest.raises(ClientError) as e:
        c.describe_maintenance_window_execution_tasks(WindowExecutionId="00000000-0000-0000-0000-000000000000")
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_session_token_is_accepted(fixture):
    c = boto3.client(
        "partnercentral-selling",
        region_name="us-east-1",
        endpoint_url=URL,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token="FwoGZXIvYXdzEXAMPLETOKEN",
        config=CONFIG,
    )
    assert "ResourceSnapshotJobSummaries" in c.list_resource_snapshot_jobs(Catalog="Sandbox")
