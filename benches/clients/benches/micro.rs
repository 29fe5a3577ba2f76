//! Criterion micro-benchmarks per operation, cloudjobs against the floor:
//! - `encode/<service>`: building the request (validation, serialization, endpoint, headers,
//!   SigV4 or bearer token), not sending it;
//! - `decode/<service>`: decoding one full page (the largest page the service allows).
//!
//! The pages come from an emulator started in this process, fetched once before measuring.

use std::hint::black_box;

use cloudjobs::runtime::{Credentials, HttpResponse, Operation};
use cloudjobs::{Config, cloud_rewind, macie2, partner_central, spaceone_identity, ssm_mw};
use cloudjobs_bench::floor::{self, Floor};
use criterion::{Criterion, criterion_group, criterion_main};
use macie2::operation::list_classification_jobs::{ListClassificationJobs, ListClassificationJobsInput};
use partner_central::operation::list_resource_snapshot_jobs::{
    ListResourceSnapshotJobs, ListResourceSnapshotJobsInput,
};
use spaceone_identity::operation::list_jobs::{ListJobs, ListJobsInput};
use spaceone_identity::types::{Page, Query};
use ssm_mw::operation::describe_maintenance_window_execution_tasks::{
    DescribeMaintenanceWindowExecutionTasks as DescribeTasks,
    DescribeMaintenanceWindowExecutionTasksInput as DescribeTasksInput,
};
use cloud_rewind::operation::get_aws_protection_status::{
    GetAwsProtectionStatus, GetAwsProtectionStatusInput,
};

/// Full pages of each service, as the emulator sends them.
struct Pages {
    ssm: bytes::Bytes,
    macie2: bytes::Bytes,
    partner_central: bytes::Bytes,
    spaceone: bytes::Bytes,
    cloud_rewind: bytes::Bytes,
    ssm_id: String,
    protection: (i64, String, i64, String),
}

fn pages(rt: &tokio::runtime::Runtime) -> Pages {
    rt.block_on(async {
        let emu = cloudjobs_emulator::Emulator::builder()
            .jobs_per_service(1000)
            .start()
            .await
            .expect("the emulator starts on 127.0.0.1");
        let seeded = emu.seeded();
        let ssm_id = seeded.ssm.window_execution_ids[0].clone();
        let p = &seeded.cloud_rewind.protections[0];
        let protection =
            (p.account_id, p.project_id.clone(), p.cloud_assembly_id, p.protection_id.clone());
        let floor = Floor::new(
            &emu.url(),
            cloudjobs_emulator::DEFAULT_ACCESS_KEY,
            cloudjobs_emulator::DEFAULT_SECRET_KEY,
            cloudjobs_emulator::DEFAULT_BEARER_TOKEN,
        );
        let get = |r: Result<reqwest::Request, floor::FloorError>| {
            let floor = &floor;
            async move { floor.send(r.expect("request builds")).await.expect("page fetched") }
        };
        let pages = Pages {
            ssm: get(floor.ssm_request(&ssm_id, 100, None)).await,
            macie2: get(floor.macie2_request(25, None)).await,
            partner_central: get(floor.partner_central_request("AWS", 100, None)).await,
            spaceone: get(floor.spaceone_request(1, 100)).await,
            cloud_rewind: get(floor.cloud_rewind_request(
                protection.0,
                &protection.1,
                protection.2,
                &protection.3,
            ))
            .await,
            ssm_id,
            protection,
        };
        emu.shutdown().await;
        pages
    })
}

fn response(body: &bytes::Bytes) -> HttpResponse {
    let mut headers = cloudjobs::runtime::__private::http::HeaderMap::new();
    headers.insert("content-type", "application/json".parse().expect("valid header"));
    HttpResponse { status: 200, headers, body: body.clone() }
}

fn micro(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let pages = pages(&rt);
    let url = "http://127.0.0.1:4566";
    let aws = Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials(Credentials::new("AKIDBENCH", "bench-secret", None, None, "bench"))
        .build();
    let bearer = Config::builder().endpoint_url(url).bearer_token("bench-token").build();
    let floor = Floor::new(url, "AKIDBENCH", "bench-secret", "bench-token");
    let token = Some("token-of-the-previous-page".to_string());

    let mut group = c.benchmark_group("encode");
    let ssm = ssm_mw::Client::new(aws.clone());
    let input = DescribeTasksInput::builder()
        .window_execution_id(&pages.ssm_id)
        .max_results(100)
        .next_token("token-of-the-previous-page")
        .build();
    group.bench_function("ssm/ours", |b| {
        b.iter(|| rt.block_on(ssm.handle().prepare::<DescribeTasks>(black_box(&input))).expect("ok"))
    });
    group.bench_function("ssm/floor", |b| {
        b.iter(|| floor.ssm_request(black_box(&pages.ssm_id), 100, token.clone()).expect("ok"))
    });
    let macie = macie2::Client::new(aws.clone());
    let input = ListClassificationJobsInput::builder()
        .max_results(25)
        .next_token("token-of-the-previous-page")
        .build();
    group.bench_function("macie2/ours", |b| {
        b.iter(|| {
            rt.block_on(macie.handle().prepare::<ListClassificationJobs>(black_box(&input))).expect("ok")
        })
    });
    group.bench_function("macie2/floor", |b| {
        b.iter(|| floor.macie2_request(black_box(25), token.clone()).expect("ok"))
    });
    let pcs = partner_central::Client::new(aws);
    let input = ListResourceSnapshotJobsInput::builder()
        .catalog("AWS")
        .max_results(100)
        .next_token("token-of-the-previous-page")
        .build();
    group.bench_function("partner-central/ours", |b| {
        b.iter(|| {
            rt.block_on(pcs.handle().prepare::<ListResourceSnapshotJobs>(black_box(&input)))
                .expect("ok")
        })
    });
    group.bench_function("partner-central/floor", |b| {
        b.iter(|| floor.partner_central_request(black_box("AWS"), 100, token.clone()).expect("ok"))
    });
    let spaceone = spaceone_identity::Client::new(bearer.clone());
    let input = ListJobsInput::builder()
        .query(Query::builder().page(Page::builder().start(101).limit(100).build()).build())
        .build();
    group.bench_function("spaceone/ours", |b| {
        b.iter(|| rt.block_on(spaceone.handle().prepare::<ListJobs>(black_box(&input))).expect("ok"))
    });
    group.bench_function("spaceone/floor", |b| {
        b.iter(|| floor.spaceone_request(black_box(101), 100).expect("ok"))
    });
    let rewind = cloud_rewind::Client::new(bearer);
    let (account, project, assembly, id) = &pages.protection;
    let input = GetAwsProtectionStatusInput::builder()
        .account_id(*account)
        .project_id(project)
        .cloud_assembly_id(*assembly)
        .protection_id(id)
        .build();
    group.bench_function("cloud-rewind/ours", |b| {
        b.iter(|| {
            rt.block_on(rewind.handle().prepare::<GetAwsProtectionStatus>(black_box(&input)))
                .expect("ok")
        })
    });
    group.bench_function("cloud-rewind/floor", |b| {
        b.iter(|| floor.cloud_rewind_request(*account, black_box(project), *assembly, id).expect("ok"))
    });
    group.finish();

    let mut group = c.benchmark_group("decode");
    let r = response(&pages.ssm);
    group.bench_function("ssm/ours", |b| {
        b.iter(|| DescribeTasks::deserialize_output(black_box(&r)).expect("decodes"))
    });
    group.bench_function("ssm/floor", |b| {
        b.iter(|| serde_json::from_slice::<floor::SsmPage>(black_box(&r.body)).expect("decodes"))
    });
    let r = response(&pages.macie2);
    group.bench_function("macie2/ours", |b| {
        b.iter(|| ListClassificationJobs::deserialize_output(black_box(&r)).expect("decodes"))
    });
    group.bench_function("macie2/floor", |b| {
        b.iter(|| serde_json::from_slice::<floor::MaciePage>(black_box(&r.body)).expect("decodes"))
    });
    let r = response(&pages.partner_central);
    group.bench_function("partner-central/ours", |b| {
        b.iter(|| ListResourceSnapshotJobs::deserialize_output(black_box(&r)).expect("decodes"))
    });
    group.bench_function("partner-central/floor", |b| {
        b.iter(|| serde_json::from_slice::<floor::PcsPage>(black_box(&r.body)).expect("decodes"))
    });
    let r = response(&pages.spaceone);
    group.bench_function("spaceone/ours", |b| {
        b.iter(|| ListJobs::deserialize_output(black_box(&r)).expect("decodes"))
    });
    group.bench_function("spaceone/floor", |b| {
        b.iter(|| serde_json::from_slice::<floor::SpaceOnePage>(black_box(&r.body)).expect("decodes"))
    });
    let r = response(&pages.cloud_rewind);
    group.bench_function("cloud-rewind/ours", |b| {
        b.iter(|| GetAwsProtectionStatus::deserialize_output(black_box(&r)).expect("decodes"))
    });
    group.bench_function("cloud-rewind/floor", |b| {
        b.iter(|| {
            serde_json::from_slice::<floor::ProtectionStatus>(black_box(&r.body)).expect("decodes")
        })
    });
    group.finish();
}

criterion_group!(benches, micro);
criterion_main!(benches);
