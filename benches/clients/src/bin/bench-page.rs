//! Pages through one operation of the emulator with one client and prints what it cost this
//! process: `{"client", "service", "pages", "items", "cpu_s", "wall_s"}`.
//!
//! ```text
//! bench-page --client ours|official|floor --service ssm|macie2|partner-central|spaceone|cloud-rewind
//!            [--page-size N] [--pages N]
//! ```
//!
//! The emulator comes from the environment `cloudjobs emulator` prints. One first page (or
//! call) is made before measuring, so connection set-up and credential loading are not
//! counted; then up to `--pages` pages (Cloud Rewind: calls) are measured.

use cloudjobs_bench::floor::Floor;
use cloudjobs_bench::{Args, BoxError, Emulator, Meter};
use futures::StreamExt;

/// What one measured run paged.
#[derive(Default)]
struct Count {
    pages: u64,
    items: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let args = Args::from_env()?;
    let client = args.get("client")?.to_string();
    let service = args.get("service")?.to_string();
    let page_size: i32 = args.num("page-size", 100)?;
    let pages: u64 = args.num("pages", 1000)?;
    let emu = Emulator::from_env()?;
    let ssm_id = emu.largest_ssm_execution().await?;
    let seeded = emu.seeded().await?;
    let protection = seeded["cloud_rewind"]["protections"][0].clone();

    let (count, (cpu, wall)) = match client.as_str() {
        "ours" => ours::run(&emu, &service, page_size, pages, &ssm_id, &protection).await?,
        #[cfg(feature = "official")]
        "official" => official::run(&emu, &service, page_size, pages, &ssm_id).await?,
        #[cfg(not(feature = "official"))]
        "official" => return Err("built without the `official` feature".into()),
        "floor" => floor_run(&emu, &service, page_size, pages, &ssm_id, &protection).await?,
        other => return Err(format!("--client: unknown client `{other}`").into()),
    };
    println!(
        "{}",
        serde_json::json!({
            "client": client, "service": service, "pages": count.pages, "items": count.items,
            "cpu_s": cpu, "wall_s": wall,
        })
    );
    Ok(())
}

/// The ids of a Cloud Rewind protection in the seeded list.
fn protection_ids(p: &serde_json::Value) -> Result<(i64, String, i64, String), BoxError> {
    let missing = || "the emulator seeded no Cloud Rewind protection".to_string();
    Ok((
        p["account_id"].as_i64().ok_or_else(missing)?,
        p["project_id"].as_str().ok_or_else(missing)?.to_string(),
        p["cloud_assembly_id"].as_i64().ok_or_else(missing)?,
        p["protection_id"].as_str().ok_or_else(missing)?.to_string(),
    ))
}

mod ours {
    use super::*;
    use cloudjobs::runtime::Credentials;
    use cloudjobs::{Config, cloud_rewind, macie2, partner_central, spaceone_identity, ssm_mw};

    pub async fn run(
        emu: &Emulator,
        service: &str,
        page_size: i32,
        max_pages: u64,
        ssm_id: &str,
        protection: &serde_json::Value,
    ) -> Result<(Count, (f64, f64)), BoxError> {
        let aws = Config::builder()
            .endpoint_url(&emu.url)
            .region("us-east-1")
            .credentials(Credentials::new(&emu.access_key, &emu.secret_key, None, None, "bench"))
            .build();
        let bearer = Config::builder().endpoint_url(&emu.url).bearer_token(emu.token.as_str()).build();
        let size = page_size as u32;
        let max = max_pages as usize;
        let mut count = Count::default();
        let meter;
        match service {
            "ssm" => {
                let c = ssm_mw::Client::new(aws);
                let call = || c.describe_maintenance_window_execution_tasks().window_execution_id(ssm_id);
                call().max_results(page_size).send().await?;
                meter = Meter::start();
                let mut pages = call().into_paginator().page_size(size).max_pages(max).pages();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.window_execution_task_identities.map_or(0, |v| v.len()) as u64;
                }
            }
            "macie2" => {
                let c = macie2::Client::new(aws);
                c.list_classification_jobs().max_results(page_size).send().await?;
                meter = Meter::start();
                let mut pages =
                    c.list_classification_jobs().into_paginator().page_size(size).max_pages(max).pages();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.items.map_or(0, |v| v.len()) as u64;
                }
            }
            "partner-central" => {
                let c = partner_central::Client::new(aws);
                c.list_resource_snapshot_jobs().catalog("AWS").max_results(page_size).send().await?;
                meter = Meter::start();
                let mut pages = c
                    .list_resource_snapshot_jobs()
                    .catalog("AWS")
                    .into_paginator()
                    .page_size(size)
                    .max_pages(max)
                    .pages();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.resource_snapshot_job_summaries.map_or(0, |v| v.len()) as u64;
                }
            }
            "spaceone" => {
                use spaceone_identity::types::{Page, Query};
                let c = spaceone_identity::Client::new(bearer);
                // The first page only, as the floor's warm-up: without `page` the service
                // answers with every job (37 MB at 100,000), past the response size limit.
                let first = Query::builder().page(Page::builder().start(1).limit(page_size).build()).build();
                c.list_jobs().query(first).send().await?;
                meter = Meter::start();
                let mut pages = c.list_jobs().into_paginator().page_size(size).max_pages(max).pages();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.results.map_or(0, |v| v.len()) as u64;
                }
            }
            "cloud-rewind" => {
                let c = cloud_rewind::Client::new(bearer);
                let (account, project, assembly, id) = protection_ids(protection)?;
                let call = || {
                    c.get_aws_protection_status()
                        .account_id(account)
                        .project_id(&project)
                        .cloud_assembly_id(assembly)
                        .protection_id(&id)
                        .send()
                };
                call().await?;
                meter = Meter::start();
                for _ in 0..max_pages {
                    let out = call().await?;
                    count.pages += 1;
                    count.items += u64::from(out.status.is_some());
                }
            }
            other => return Err(format!("--service: unknown service `{other}`").into()),
        }
        Ok((count, meter.stop()))
    }
}

#[cfg(feature = "official")]
mod official {
    use super::*;

    pub async fn run(
        emu: &Emulator,
        service: &str,
        page_size: i32,
        max_pages: u64,
        ssm_id: &str,
    ) -> Result<(Count, (f64, f64)), BoxError> {
        let creds =
            aws_credential_types::Credentials::new(&emu.access_key, &emu.secret_key, None, None, "bench");
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&emu.url)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .load()
            .await;
        let mut count = Count::default();
        let meter;
        match service {
            "ssm" => {
                let c = aws_sdk_ssm::Client::new(&config);
                let call = || c.describe_maintenance_window_execution_tasks().window_execution_id(ssm_id);
                call().max_results(page_size).send().await?;
                meter = Meter::start();
                let mut pages = call().max_results(page_size).into_paginator().send();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.window_execution_task_identities.map_or(0, |v| v.len()) as u64;
                    if count.pages == max_pages {
                        break;
                    }
                }
            }
            "macie2" => {
                let c = aws_sdk_macie2::Client::new(&config);
                c.list_classification_jobs().max_results(page_size).send().await?;
                meter = Meter::start();
                let mut pages = c.list_classification_jobs().max_results(page_size).into_paginator().send();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.items.map_or(0, |v| v.len()) as u64;
                    if count.pages == max_pages {
                        break;
                    }
                }
            }
            "partner-central" => {
                let c = aws_sdk_partnercentralselling::Client::new(&config);
                c.list_resource_snapshot_jobs().catalog("AWS").max_results(page_size).send().await?;
                meter = Meter::start();
                let mut pages = c
                    .list_resource_snapshot_jobs()
                    .catalog("AWS")
                    .max_results(page_size)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    count.pages += 1;
                    count.items += page?.resource_snapshot_job_summaries.len() as u64;
                    if count.pages == max_pages {
                        break;
                    }
                }
            }
            other => return Err(format!("--service: the official SDKs have no `{other}`").into()),
        }
        Ok((count, meter.stop()))
    }
}

async fn floor_run(
    emu: &Emulator,
    service: &str,
    page_size: i32,
    max_pages: u64,
    ssm_id: &str,
    protection: &serde_json::Value,
) -> Result<(Count, (f64, f64)), BoxError> {
    let floor = Floor::new(&emu.url, &emu.access_key, &emu.secret_key, &emu.token);
    let mut count = Count::default();
    let meter;
    match service {
        "ssm" => {
            floor.ssm_page(ssm_id, page_size, None).await?;
            meter = Meter::start();
            count = follow(max_pages, |token| {
                let floor = &floor;
                async move {
                    let page = floor.ssm_page(ssm_id, page_size, token).await?;
                    Ok((page.window_execution_task_identities.len(), page.next_token))
                }
            })
            .await?;
        }
        "macie2" => {
            floor.macie2_page(page_size, None).await?;
            meter = Meter::start();
            count = follow(max_pages, |token| {
                let floor = &floor;
                async move {
                    let page = floor.macie2_page(page_size, token).await?;
                    Ok((page.items.len(), page.next_token))
                }
            })
            .await?;
        }
        "partner-central" => {
            floor.partner_central_page("AWS", page_size, None).await?;
            meter = Meter::start();
            count = follow(max_pages, |token| {
                let floor = &floor;
                async move {
                    let page = floor.partner_central_page("AWS", page_size, token).await?;
                    Ok((page.resource_snapshot_job_summaries.len(), page.next_token))
                }
            })
            .await?;
        }
        "spaceone" => {
            let limit = page_size as u64;
            floor.spaceone_page(1, limit).await?;
            meter = Meter::start();
            let mut start = 1;
            loop {
                let page = floor.spaceone_page(start, limit).await?;
                count.pages += 1;
                let got = page.results.len() as u64;
                count.items += got;
                start += got;
                let total = page.total_count.unwrap_or(0);
                if got < limit || start > total || count.pages == max_pages {
                    break;
                }
            }
        }
        "cloud-rewind" => {
            let (account, project, assembly, id) = protection_ids(protection)?;
            floor.cloud_rewind_status(account, &project, assembly, &id).await?;
            meter = Meter::start();
            for _ in 0..max_pages {
                let out = floor.cloud_rewind_status(account, &project, assembly, &id).await?;
                count.pages += 1;
                count.items += u64::from(out.status.is_some());
            }
        }
        other => return Err(format!("--service: unknown service `{other}`").into()),
    }
    Ok((count, meter.stop()))
}

/// Follows a page token from the first page to the last, or to `max_pages`: `fetch(token)`
/// returns the number of items on the page and the next token.
async fn follow<F, Fut>(max_pages: u64, mut fetch: F) -> Result<Count, BoxError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(usize, Option<String>), BoxError>>,
{
    let mut count = Count::default();
    let mut token = None;
    loop {
        let (items, next) = fetch(token).await?;
        count.pages += 1;
        count.items += items as u64;
        token = next;
        if token.is_none() || count.pages == max_pages {
            return Ok(count);
        }
    }
}
