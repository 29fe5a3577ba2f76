//! Every generated client against the embedded emulator: signed requests, pagination that
//! loses and repeats nothing, filters and sort checked against result sets computed here from
//! the emulator's fixture, and modeled errors reached by real requests.

use std::collections::BTreeSet;

use cloudjobs::ProvideErrorMetadata;
use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, RunningEmulator,
};
use futures::TryStreamExt;

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .seed(11)
        .jobs_per_service(60)
        .start()
        .await
        .expect("emulator starts")
}

fn aws(emu: &RunningEmulator) -> cloudjobs::Config {
    cloudjobs::Config::builder()
        .region("us-east-1")
        .endpoint_url(emu.url())
        .credentials(cloudjobs::runtime::Credentials::new(
            DEFAULT_ACCESS_KEY,
            DEFAULT_SECRET_KEY,
            None,
            None,
            "emulator",
        ))
        .build()
}

fn bearer(emu: &RunningEmulator, token: &str) -> cloudjobs::Config {
    cloudjobs::Config::builder()
        .endpoint_url(emu.url())
        .bearer_token(token)
        .max_attempts(1)
        .build()
}

fn assert_no_duplicates(ids: &[String]) {
    let set: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "no item may repeat");
}

#[tokio::test]
async fn partner_central_paginates_filters_and_sorts() {
    let emu = emulator().await;
    let fixture = emu.emulator().fixture();
    let client = cloudjobs::partner_central::Client::new(aws(&emu));
    use cloudjobs::partner_central::types::{
        ResourceSnapshotJobStatus, SortBy, SortObject, SortOrder,
    };

    let list = |status: Option<&str>, order: Option<SortOrder>| {
        let mut b = client.list_resource_snapshot_jobs().catalog("AWS");
        if let Some(s) = status {
            b = b.status(ResourceSnapshotJobStatus::from(s));
        }
        if let Some(o) = order {
            b = b.sort(
                SortObject::builder()
                    .sort_by(SortBy::CreatedDate)
                    .sort_order(o)
                    .build(),
            );
        }
        b.into_paginator()
            .page_size(7)
            .items()
            .map_ok(|j| j.id.unwrap())
            .try_collect::<Vec<_>>()
    };

    let all = list(None, None).await.unwrap();
    assert_no_duplicates(&all);
    let expected: BTreeSet<String> = fixture
        .partner_central
        .iter()
        .filter(|j| j.catalog == "AWS")
        .map(|j| j.id.clone())
        .collect();
    assert_eq!(all.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(all.len() > 7, "several pages were fetched");

    let ascending = list(None, Some(SortOrder::Ascending)).await.unwrap();
    let descending = list(None, Some(SortOrder::Descending)).await.unwrap();
    assert_eq!(descending, all, "newest first by default");
    let mut reversed = ascending.clone();
    reversed.reverse();
    let created = |id: &String| {
        fixture
            .partner_central
            .iter()
            .find(|j| &j.id == id)
            .unwrap()
            .created_date
    };
    assert_eq!(
        reversed.iter().map(created).collect::<Vec<_>>(),
        descending.iter().map(created).collect::<Vec<_>>()
    );

    let running = list(Some("Running"), None).await.unwrap();
    let expected: BTreeSet<String> = fixture
        .partner_central
        .iter()
        .filter(|j| j.catalog == "AWS" && j.status == "Running")
        .map(|j| j.id.clone())
        .collect();
    assert_eq!(running.into_iter().collect::<BTreeSet<_>>(), expected);

    let engagement = emu.seeded().partner_central.engagement_ids[0].clone();
    let out = client
        .list_resource_snapshot_jobs()
        .catalog("AWS")
        .engagement_identifier(&engagement)
        .send()
        .await;
    let expected: BTreeSet<String> = fixture
        .partner_central
        .iter()
        .filter(|j| j.catalog == "AWS" && j.engagement_id == engagement)
        .map(|j| j.id.clone())
        .collect();
    match out {
        Ok(out) => {
            let got: BTreeSet<String> = out
                .resource_snapshot_job_summaries
                .unwrap_or_default()
                .into_iter()
                .map(|j| j.id.unwrap())
                .collect();
            assert_eq!(got, expected);
        }
        // The engagement may belong to the Sandbox catalog only.
        Err(e) => assert!(expected.is_empty(), "{e}"),
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn partner_central_validation_exception_from_the_service() {
    let emu = emulator().await;
    let config = aws(&emu)
        .to_builder()
        .validation(cloudjobs::Validation::RequiredOnly)
        .build();
    let client = cloudjobs::partner_central::Client::new(config);
    let err = client
        .list_resource_snapshot_jobs()
        .catalog("AWS")
        .max_results(5000)
        .send()
        .await
        .unwrap_err();
    let err = err.into_service_error().expect("the emulator answered");
    assert!(err.is_validation_exception(), "{err:?}");
    emu.shutdown().await;
}

#[tokio::test]
async fn macie2_paginates_filters_and_sorts() {
    use cloudjobs::macie2::types::*;
    let emu = emulator().await;
    let fixture = emu.emulator().fixture();
    let client = cloudjobs::macie2::Client::new(aws(&emu));

    let all: Vec<JobSummary> = client
        .list_classification_jobs()
        .into_paginator()
        .page_size(9)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = all.iter().map(|j| j.job_id.clone().unwrap()).collect();
    assert_no_duplicates(&ids);
    assert_eq!(
        ids.iter().cloned().collect::<BTreeSet<_>>(),
        fixture.macie2.iter().map(|j| j.job_id.clone()).collect()
    );
    for j in &all {
        let paused = j.job_status == Some(JobStatus::UserPaused);
        assert_eq!(
            j.user_paused_details.is_some(),
            paused,
            "userPausedDetails only for USER_PAUSED"
        );
    }

    let running: Vec<JobSummary> = client
        .list_classification_jobs()
        .filter_criteria(
            ListJobsFilterCriteria::builder()
                .includes(
                    ListJobsFilterTerm::builder()
                        .comparator(JobComparator::Eq)
                        .key(ListJobsFilterKey::JobStatus)
                        .values("RUNNING")
                        .build(),
                )
                .build(),
        )
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected: BTreeSet<String> = fixture
        .macie2
        .iter()
        .filter(|j| j.job_status == "RUNNING")
        .map(|j| j.job_id.clone())
        .collect();
    assert_eq!(
        running
            .iter()
            .map(|j| j.job_id.clone().unwrap())
            .collect::<BTreeSet<_>>(),
        expected
    );

    let by_name: Vec<JobSummary> = client
        .list_classification_jobs()
        .sort_criteria(
            ListJobsSortCriteria::builder()
                .attribute_name(ListJobsSortAttributeName::Name)
                .order_by(OrderBy::Asc)
                .build(),
        )
        .into_paginator()
        .page_size(13)
        .items()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<String> = by_name.iter().map(|j| j.name.clone().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    emu.shutdown().await;
}

#[tokio::test]
async fn ssm_paginates_filters_and_reports_does_not_exist() {
    let emu = emulator().await;
    let seeded = emu.seeded().ssm;
    let client = cloudjobs::ssm_mw::Client::new(aws(&emu));
    let id = seeded.window_execution_ids[0].clone();

    let tasks: Vec<_> = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&id)
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = tasks
        .iter()
        .map(|t| t.task_execution_id.clone().unwrap())
        .collect();
    assert_no_duplicates(&ids);
    assert_eq!(ids.len(), seeded.task_counts[0]);
    // Pending tasks have not started; the others carry epoch-second times that parse.
    assert!(
        tasks.iter().any(|t| t.start_time.is_some()),
        "epoch-second timestamps parse"
    );

    let failed: Vec<_> = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&id)
        .filters(
            cloudjobs::ssm_mw::types::MaintenanceWindowFilter::builder()
                .key("STATUS")
                .values("FAILED")
                .build(),
        )
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected = tasks
        .iter()
        .filter(|t| t.status.as_ref().map(|s| s.as_str()) == Some("FAILED"))
        .count();
    assert_eq!(failed.len(), expected);

    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_does_not_exist_exception(), "{err:?}");
    emu.shutdown().await;
}

#[tokio::test]
async fn aws_requests_with_a_wrong_secret_are_rejected() {
    let emu = emulator().await;
    let config = aws(&emu)
        .to_builder()
        .credentials(cloudjobs::runtime::Credentials::new(
            DEFAULT_ACCESS_KEY,
            "wrong-secret",
            None,
            None,
            "test",
        ))
        .max_attempts(1)
        .build();
    let err = cloudjobs::macie2::Client::new(config)
        .list_classification_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn spaceone_pages_by_offset_gets_and_deletes() {
    use cloudjobs::spaceone_identity::types::JobStatus;
    let emu = emulator().await;
    let fixture = emu.emulator().fixture();
    let client = cloudjobs::spaceone_identity::Client::new(bearer(&emu, DEFAULT_BEARER_TOKEN));

    let all: Vec<_> = client
        .list_jobs()
        .into_paginator()
        .page_size(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = all.iter().map(|j| j.job_id.clone().unwrap()).collect();
    assert_no_duplicates(&ids);
    assert_eq!(
        ids.iter().cloned().collect::<BTreeSet<_>>(),
        fixture.spaceone.iter().map(|j| j.job_id.clone()).collect()
    );

    let success: Vec<_> = client
        .list_jobs()
        .status(JobStatus::Success)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        success.len(),
        fixture
            .spaceone
            .iter()
            .filter(|j| j.status == "SUCCESS")
            .count()
    );

    let id = ids[0].clone();
    let job = client.get_job().job_id(&id).send().await.unwrap();
    assert_eq!(job.job_id.as_deref(), Some(id.as_str()));
    client.delete_job().job_id(&id).send().await.unwrap();
    let err = client
        .get_job()
        .job_id(&id)
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("ERROR_NOT_FOUND"));

    let real_gateway = cloudjobs::spaceone_identity::Client::new(
        bearer(&emu, DEFAULT_BEARER_TOKEN)
            .to_builder()
            .path_prefix("/identity")
            .build(),
    );
    assert!(real_gateway.get_job().job_id(&ids[1]).send().await.is_ok());

    let err = cloudjobs::spaceone_identity::Client::new(bearer(&emu, "wrong"))
        .list_jobs()
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().unwrap().is_unauthorized());
    emu.shutdown().await;
}

#[tokio::test]
async fn cloud_rewind_statuses_and_errors() {
    use cloudjobs::cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusError as E;
    let emu = emulator().await;
    let seeded = emu.seeded().cloud_rewind;
    let client = cloudjobs::cloud_rewind::Client::new(bearer(&emu, DEFAULT_BEARER_TOKEN));
    let get = |p: &cloudjobs_emulator::ProtectionRef| {
        client
            .get_aws_protection_status()
            .account_id(p.account_id)
            .project_id(&p.project_id)
            .cloud_assembly_id(p.cloud_assembly_id)
            .protection_id(&p.protection_id)
            .send()
    };
    let mut ok = 0;
    for p in &seeded.protections {
        if Some(p) == seeded.locked.as_ref() || Some(p) == seeded.assembly_disabled.as_ref() {
            continue;
        }
        let out = get(p).await.unwrap();
        assert_eq!(out.status.unwrap().as_str(), p.status);
        ok += 1;
    }
    assert!(ok > 0);
    if let Some(locked) = &seeded.locked {
        assert!(matches!(
            get(locked).await.unwrap_err().into_service_error(),
            Some(E::Conflict(_))
        ));
    }
    if let Some(disabled) = &seeded.assembly_disabled {
        assert!(matches!(
            get(disabled).await.unwrap_err().into_service_error(),
            Some(E::PreconditionFailed(_))
        ));
    }
    let mut missing = seeded.protections[0].clone();
    missing.protection_id = "no-such-protection".into();
    assert!(matches!(
        get(&missing).await.unwrap_err().into_service_error(),
        Some(E::NotFound(_))
    ));
    emu.shutdown().await;
}

#[tokio::test]
async fn macie2_every_comparator_through_the_client() {
    use cloudjobs::macie2::types::*;
    let emu = emulator().await;
    let fixture = emu.emulator().fixture();
    let client = cloudjobs::macie2::Client::new(aws(&emu));
    let pivot = &fixture.macie2[fixture.macie2.len() / 2];
    let pivot_time = pivot.created_at.unwrap();
    let pivot_iso = cloudjobs::DateTime::from_secs_and_nanos(
        pivot_time.unix_timestamp(),
        pivot_time.nanosecond(),
    )
    .to_rfc3339();
    let name_part: String = pivot.name.chars().take(5).collect();

    type Pred = Box<dyn Fn(&cloudjobs_emulator::Macie2Job) -> bool>;
    let at = |j: &cloudjobs_emulator::Macie2Job| j.created_at.unwrap();
    let (pn, pt, ps, np) = (
        pivot.name.clone(),
        pivot.job_type.clone(),
        pivot.job_status.clone(),
        name_part.clone(),
    );
    let cases: Vec<(JobComparator, ListJobsFilterKey, String, Pred)> = vec![
        (
            JobComparator::Eq,
            ListJobsFilterKey::Name,
            pn.clone(),
            Box::new({
                let pn = pn.clone();
                move |j| j.name == pn
            }),
        ),
        (
            JobComparator::Ne,
            ListJobsFilterKey::Name,
            pn.clone(),
            Box::new({
                let pn = pn.clone();
                move |j| j.name != pn
            }),
        ),
        (
            JobComparator::Contains,
            ListJobsFilterKey::Name,
            np.clone(),
            Box::new({
                let np = np.clone();
                move |j| j.name.contains(&np)
            }),
        ),
        (
            JobComparator::StartsWith,
            ListJobsFilterKey::Name,
            np.clone(),
            Box::new(move |j| j.name.starts_with(&np)),
        ),
        (
            JobComparator::Eq,
            ListJobsFilterKey::JobType,
            pt.clone(),
            Box::new({
                let pt = pt.clone();
                move |j| j.job_type == pt
            }),
        ),
        (
            JobComparator::Ne,
            ListJobsFilterKey::JobType,
            pt.clone(),
            Box::new(move |j| j.job_type != pt),
        ),
        (
            JobComparator::Eq,
            ListJobsFilterKey::JobStatus,
            ps.clone(),
            Box::new({
                let ps = ps.clone();
                move |j| j.job_status == ps
            }),
        ),
        (
            JobComparator::Ne,
            ListJobsFilterKey::JobStatus,
            ps.clone(),
            Box::new(move |j| j.job_status != ps),
        ),
        (
            JobComparator::Gt,
            ListJobsFilterKey::CreatedAt,
            pivot_iso.clone(),
            Box::new(move |j| at(j) > pivot_time),
        ),
        (
            JobComparator::Gte,
            ListJobsFilterKey::CreatedAt,
            pivot_iso.clone(),
            Box::new(move |j| at(j) >= pivot_time),
        ),
        (
            JobComparator::Lt,
            ListJobsFilterKey::CreatedAt,
            pivot_iso.clone(),
            Box::new(move |j| at(j) < pivot_time),
        ),
        (
            JobComparator::Lte,
            ListJobsFilterKey::CreatedAt,
            pivot_iso.clone(),
            Box::new(move |j| at(j) <= pivot_time),
        ),
    ];
    for (comparator, key, value, pred) in cases {
        let term = ListJobsFilterTerm::builder()
            .comparator(comparator.clone())
            .key(key.clone())
            .values(value.clone())
            .build();
        for exclude in [false, true] {
            let criteria = if exclude {
                ListJobsFilterCriteria::builder()
                    .excludes(term.clone())
                    .build()
            } else {
                ListJobsFilterCriteria::builder()
                    .includes(term.clone())
                    .build()
            };
            let got: BTreeSet<String> = client
                .list_classification_jobs()
                .filter_criteria(criteria)
                .into_paginator()
                .page_size(11)
                .items()
                .map_ok(|j| j.job_id.unwrap())
                .try_collect()
                .await
                .unwrap();
            let expected: BTreeSet<String> = fixture
                .macie2
                .iter()
                .filter(|j| pred(j) != exclude)
                .map(|j| j.job_id.clone())
                .collect();
            assert_eq!(
                got, expected,
                "{comparator} {key} {value:?} exclude={exclude}"
            );
        }
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn spaceone_direct_filters_keyword_sort_and_count_only() {
    use cloudjobs::spaceone_identity::types::{Query, Sort};
    let emu = emulator().await;
    let fixture = emu.emulator().fixture();
    let client = cloudjobs::spaceone_identity::Client::new(bearer(&emu, DEFAULT_BEARER_TOKEN));
    let ids = |it: Vec<cloudjobs::spaceone_identity::types::JobInfo>| {
        it.into_iter()
            .map(|j| j.job_id.unwrap())
            .collect::<BTreeSet<_>>()
    };
    let sample = &fixture.spaceone[3];

    let got = ids(client
        .list_jobs()
        .plugin_id(&sample.plugin_id)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap());
    assert_eq!(
        got,
        fixture
            .spaceone
            .iter()
            .filter(|j| j.plugin_id == sample.plugin_id)
            .map(|j| j.job_id.clone())
            .collect()
    );

    let got = ids(client
        .list_jobs()
        .trusted_account_id(&sample.trusted_account_id)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap());
    assert_eq!(
        got,
        fixture
            .spaceone
            .iter()
            .filter(|j| j.trusted_account_id == sample.trusted_account_id)
            .map(|j| j.job_id.clone())
            .collect()
    );

    let got = ids(client
        .list_jobs()
        .job_id(&sample.job_id)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap());
    assert_eq!(got, BTreeSet::from([sample.job_id.clone()]));

    // keyword: case-insensitive containment over job_id and status.
    let keyword = sample.job_id[4..9].to_string();
    let q = Query::builder().keyword(keyword.as_str()).build();
    let got = ids(client
        .list_jobs()
        .query(q)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap());
    let expected = fixture
        .spaceone
        .iter()
        .filter(|j| {
            j.job_id.to_lowercase().contains(&keyword.to_lowercase())
                || j.status.to_lowercase().contains(&keyword.to_lowercase())
        })
        .map(|j| j.job_id.clone())
        .collect();
    assert_eq!(got, expected);

    // sort by created_at ascending, through several offset pages.
    let q = Query::builder()
        .sort(Sort::builder().key("created_at").desc(false).build())
        .build();
    let sorted: Vec<_> = client
        .list_jobs()
        .query(q)
        .into_paginator()
        .page_size(8)
        .items()
        .try_collect()
        .await
        .unwrap();
    let times: Vec<_> = sorted.iter().map(|j| j.created_at.unwrap()).collect();
    let mut expected_times = times.clone();
    expected_times.sort();
    assert_eq!(times, expected_times);
    assert_eq!(sorted.len(), fixture.spaceone.len());

    let q = Query::builder().count_only(true).build();
    let out = client.list_jobs().query(q).send().await.unwrap();
    assert_eq!(out.results.unwrap_or_default().len(), 0);
    assert_eq!(out.total_count, Some(fixture.spaceone.len() as i32));
    emu.shutdown().await;
}
