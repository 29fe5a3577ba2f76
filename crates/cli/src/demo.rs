//! `cloudjobs demo`: the embedded emulator, the five generated clients, one table.

use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs;
use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs;
use cloudjobs::spaceone_identity::operation::list_jobs::ListJobs;
use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks;
use cloudjobs::{Job, Service};
use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, Seeded,
};
use serde::Serialize;

use crate::args::{
    DemoArgs, GlobalOpts, Macie2List, OutputFormat, PartnerCentralList, ProtectionArgs,
    SpaceoneList, SsmMwList,
};
use crate::error::CliError;
use crate::fetch::{PageOpts, fetch};
use crate::output::{emit, jobs_table, render_table, to_json};
use crate::services::{
    cloud_rewind_get, cloud_rewind_job, emulator_config, macie2_input, partner_central_input,
    spaceone_input, ssm_input,
};

/// Smallest `MaxResults` SSM accepts.
const SSM_MIN_PAGE: u32 = 10;

/// What was listed from one service.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSummary {
    /// The service.
    pub service: Service,
    /// The operation called.
    pub operation: &'static str,
    /// Jobs listed.
    pub jobs: usize,
    /// HTTP requests made (pages fetched, or one per Cloud Rewind protection).
    pub requests: usize,
    /// What was listed (catalogs, window executions, protections).
    pub scope: String,
}

/// The whole demo result (the `--output json` document).
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    /// The emulator's base URL (gone once the demo exits).
    pub emulator_url: String,
    /// Every job, service by service.
    pub jobs: Vec<Job>,
    /// One summary per service, in [`Service::ALL`] order.
    pub services: Vec<ServiceSummary>,
}

/// Runs the demo: starts the emulator on an ephemeral 127.0.0.1 port, lists every service
/// through the generated clients, shuts the emulator down, prints the report.
pub async fn run(global: &GlobalOpts, args: &DemoArgs) -> Result<(), CliError> {
    let emulator = Emulator::builder()
        .seed(args.seed)
        .jobs_per_service(args.jobs)
        .aws_credentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
        .bearer_token(DEFAULT_BEARER_TOKEN)
        .bind(([127, 0, 0, 1], 0).into())
        .start()
        .await
        .map_err(|e| CliError::Other(format!("could not start the emulator: {e}")))?;
    let url = emulator.url();
    let seeded = emulator.seeded();
    let result = collect(global, args, &url, &seeded).await;
    emulator.shutdown().await;
    let report = result?;

    match global.output {
        OutputFormat::Json => emit(&to_json(&report)?),
        OutputFormat::Table => {
            let mut text = format!(
                "cloudjobs demo: emulator on {url} (seed {}, {} jobs per service), \
                 5 generated clients, SigV4 / bearer auth, page size {}\n\n",
                args.seed, args.jobs, args.page_size
            );
            text.push_str(&jobs_table(&report.jobs));
            text.push('\n');
            let rows: Vec<Vec<String>> = report
                .services
                .iter()
                .map(|s| {
                    vec![
                        s.service.to_string(),
                        s.operation.to_owned(),
                        format!("{} jobs", s.jobs),
                        format!("{} requests", s.requests),
                        s.scope.clone(),
                    ]
                })
                .collect();
            text.push_str(&render_table(
                &["SERVICE", "OPERATION", "JOBS", "REQUESTS", "SCOPE"],
                &rows,
            ));
            let total: usize = report.services.iter().map(|s| s.jobs).sum();
            let requests: usize = report.services.iter().map(|s| s.requests).sum();
            text.push_str(&format!(
                "total: {total} jobs from {} services in {requests} requests\n",
                report.services.iter().filter(|s| s.jobs > 0).count()
            ));
            emit(&text)
        }
    }
}

async fn collect(
    global: &GlobalOpts,
    args: &DemoArgs,
    url: &str,
    seeded: &Seeded,
) -> Result<DemoReport, CliError> {
    let config = emulator_config(
        url,
        DEFAULT_ACCESS_KEY,
        DEFAULT_SECRET_KEY,
        DEFAULT_BEARER_TOKEN,
    );
    let opts = |page_size: u32| PageOpts {
        paginate: !global.no_paginate,
        max_items: global.max_items,
        page_size: Some(page_size),
    };
    let max = global.max_items.unwrap_or(usize::MAX);
    let mut jobs = Vec::new();
    let mut services = Vec::new();

    // Partner Central: every catalog that holds jobs (AWS and Sandbox).
    {
        let client = cloudjobs::partner_central::Client::new(config.clone());
        let catalogs = if seeded.partner_central.catalogs.is_empty() {
            vec!["AWS".to_owned()]
        } else {
            seeded.partner_central.catalogs.clone()
        };
        let mut found = Vec::new();
        let mut requests = 0;
        for catalog in &catalogs {
            let list = PartnerCentralList {
                catalog: catalog.clone(),
                status: None,
                engagement_identifier: None,
                sort_order: None,
                page_size: None,
            };
            let input = partner_central_input(&client, &list);
            let fetched = fetch::<ListResourceSnapshotJobs>(
                client.handle().clone(),
                input,
                opts(args.page_size),
            )
            .await?;
            requests += fetched.pages;
            found.extend(fetched.items.into_iter().map(Job::from));
        }
        found.truncate(max);
        services.push(ServiceSummary {
            service: Service::PartnerCentral,
            operation: "ListResourceSnapshotJobs",
            jobs: found.len(),
            requests,
            scope: format!("catalogs {}", catalogs.join(", ")),
        });
        jobs.extend(found);
    }

    // Macie2: every classification job.
    {
        let client = cloudjobs::macie2::Client::new(config.clone());
        let list = Macie2List {
            status: Vec::new(),
            job_type: None,
            name_prefix: None,
            sort_by: None,
            order: None,
            page_size: None,
        };
        let input = macie2_input(&client, &list);
        let fetched =
            fetch::<ListClassificationJobs>(client.handle().clone(), input, opts(args.page_size))
                .await?;
        services.push(ServiceSummary {
            service: Service::Macie2,
            operation: "ListClassificationJobs",
            jobs: fetched.items.len(),
            requests: fetched.pages,
            scope: "all classification jobs".to_owned(),
        });
        jobs.extend(fetched.items.into_iter().map(Job::from));
    }

    // SSM: the tasks of every seeded maintenance window execution.
    {
        let client = cloudjobs::ssm_mw::Client::new(config.clone());
        let mut found = Vec::new();
        let mut requests = 0;
        for id in &seeded.ssm.window_execution_ids {
            let list = SsmMwList {
                window_execution_id: id.clone(),
                status: Vec::new(),
                page_size: None,
            };
            let input = ssm_input(&client, &list);
            let fetched = fetch::<DescribeMaintenanceWindowExecutionTasks>(
                client.handle().clone(),
                input,
                opts(args.page_size.max(SSM_MIN_PAGE)),
            )
            .await?;
            requests += fetched.pages;
            found.extend(fetched.items.into_iter().map(Job::from));
        }
        found.truncate(max);
        services.push(ServiceSummary {
            service: Service::SsmMw,
            operation: "DescribeMaintenanceWindowExecutionTasks",
            jobs: found.len(),
            requests,
            scope: format!(
                "{} window executions",
                seeded.ssm.window_execution_ids.len()
            ),
        });
        jobs.extend(found);
    }

    // SpaceONE: every job of the domain.
    {
        let client = cloudjobs::spaceone_identity::Client::new(config.clone());
        let list = SpaceoneList {
            status: None,
            workspace_id: None,
            trusted_account_id: None,
            plugin_id: None,
            keyword: None,
            page_size: None,
        };
        let input = spaceone_input(&client, &list);
        let fetched =
            fetch::<ListJobs>(client.handle().clone(), input, opts(args.page_size)).await?;
        services.push(ServiceSummary {
            service: Service::SpaceoneIdentity,
            operation: "job/list",
            jobs: fetched.items.len(),
            requests: fetched.pages,
            scope: format!("domain {}", seeded.spaceone.domain_id),
        });
        jobs.extend(fetched.items.into_iter().map(Job::from));
    }

    // Cloud Rewind: the status of every seeded protection (the locked one and the one in a
    // disabled assembly answer 409 and 412, so they are left out).
    {
        let client = cloudjobs::cloud_rewind::Client::new(config);
        let cr = &seeded.cloud_rewind;
        let mut found = Vec::new();
        for p in &cr.protections {
            if found.len() >= max {
                break;
            }
            let special = [&cr.locked, &cr.assembly_disabled]
                .into_iter()
                .flatten()
                .any(|s| s.protection_id == p.protection_id);
            if special {
                continue;
            }
            let args = ProtectionArgs {
                account_id: p.account_id,
                project_id: p.project_id.clone(),
                cloud_assembly_id: p.cloud_assembly_id,
                protection_id: p.protection_id.clone(),
            };
            let status = cloud_rewind_get(&client, &args).await?;
            found.push(cloud_rewind_job(&args, &status));
        }
        let assemblies: std::collections::BTreeSet<_> =
            found.iter().filter_map(|job| job.name.as_deref()).collect();
        services.push(ServiceSummary {
            service: Service::CloudRewind,
            operation: "get_aws_protection_status",
            jobs: found.len(),
            requests: found.len(),
            scope: format!("{} cloud assemblies", assemblies.len()),
        });
        jobs.extend(found);
    }

    Ok(DemoReport {
        emulator_url: url.to_owned(),
        jobs,
        services,
    })
}
