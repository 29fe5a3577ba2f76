"""Writes tests/fixtures/endpoints.json: where botocore sends each of our AWS operations.

For every region botocore's partitions list (plus names only a partition's pattern claims,
and one no partition claims), with FIPS and dual-stack on and off, and with and without a
configured endpoint URL, botocore's endpoint rule-set resolver (the one its clients call before
each request) resolves our operation and this script records the URL, or the endpoint error. `tests/tests/endpoints.rs` checks that our clients
resolve the same endpoints.

Run with the botocore that `tests/corpus/requirements.txt` pins:
    python tests/endpoints/botocore_endpoints.py > tests/fixtures/endpoints.json
"""

import json
import os
import sys

import botocore
import botocore.exceptions
import botocore.model
import botocore.regions
import botocore.session
from botocore.regions import EndpointResolverBuiltins

# (botocore service name, our crate, operation)
SERVICES = [
    ("ssm", "ssm-mw", "DescribeMaintenanceWindowExecutionTasks"),
    ("macie2", "macie2", "ListClassificationJobs"),
    ("partnercentral-selling", "partner-central", "ListResourceSnapshotJobs"),
]

CUSTOM_ENDPOINT = "https://jobs.example.com"


def regions():
    data = botocore.session.get_session().get_data("partitions")
    names = []
    for partition in data["partitions"]:
        names.extend(sorted(partition["regions"]))
    # Names no partition lists, claimed by a pattern or by none (then `aws`).
    names += ["us-east-9", "us-gov-east-7", "cn-south-4", "us-iso-north-2", "eusc-de-west-1"]
    names += ["mars-east-1"]
    return names


def resolve(session, service, operation, region, fips, dual, endpoint):
    loader = session.get_component("data_loader")
    model = botocore.model.ServiceModel(
        loader.load_service_model(service, "service-2"), service_name=service
    )
    resolver = botocore.regions.EndpointRulesetResolver(
        endpoint_ruleset_data=loader.load_service_model(service, "endpoint-rule-set-1"),
        partition_data=loader.load_data("partitions"),
        service_model=model,
        builtins={
            EndpointResolverBuiltins.AWS_REGION: region,
            EndpointResolverBuiltins.AWS_USE_FIPS: fips,
            EndpointResolverBuiltins.AWS_USE_DUALSTACK: dual,
            EndpointResolverBuiltins.SDK_ENDPOINT: endpoint,
        },
        client_context={},
        event_emitter=session.get_component("event_emitter"),
    )
    try:
        resolved = resolver.construct_endpoint(
            model.operation_model(operation), call_args={}, request_context={}
        )
    except botocore.exceptions.EndpointResolutionError as e:
        return {"error": e.kwargs.get("msg", str(e))}
    return {"url": resolved.url}


def main():
    session = botocore.session.get_session()
    cases = []
    for service, crate, operation in SERVICES:
        for region in regions():
            for fips in (False, True):
                for dual in (False, True):
                    for endpoint in (None, CUSTOM_ENDPOINT):
                        case = {
                            "crate": crate,
                            "region": region,
                            "fips": fips,
                            "dual_stack": dual,
                            "endpoint": endpoint,
                        }
                        case.update(
                            resolve(session, service, operation, region, fips, dual, endpoint)
                        )
                        cases.append(case)
    # One case a line, so a change of botocore reads as a short diff.
    lines = ",\n".join(json.dumps(c, sort_keys=True) for c in cases)
    sys.stdout.write(f'{{"botocore": "{botocore.__version__}", "cases": [\n{lines}\n]}}\n')


if __name__ == "__main__":
    os.environ.pop("AWS_PROFILE", None)
    main()
