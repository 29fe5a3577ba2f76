//! Resumable pagination against the emulator: a listing that fails part-way says where to
//! resume (the continuation token, or SpaceONE's item offset), and a new paginator started
//! there lists the rest: together every item exactly once. Page retries ask again for a
//! failed page without losing or repeating anything.

use std::collections::BTreeSet;
use std::time::Duration;

use cloudjobs_emulator::{Emulator, Faults, InjectedError, RunningEmulator, Service};
use cloudjobs_runtime::{Error, ResumePoint, RetryConfig};
use futures::{StreamExt, TryStreamExt};

mod common;

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .seed(5)
        .jobs_per_service(95)
        .start()
        .await
        .expect("emulator starts")
}

fn config(emu: &RunningEmulator, retry: RetryConfig) -> cloudjobs::Config {
    common::emulator_config(&emu.url())
        .retry_config(retry.with_initial_backoff(Duration::from_millis(1)))
        .build()
}

/// Takes items until the stream fails; returns them and the error.
async fn until_error<T, E>(
    mut stream: futures::stream::BoxStream<'static, Result<T, Error<E>>>,
    mut after: impl FnMut(usize),
) -> (Vec<T>, Error<E>) {
    let mut items = Vec::new();
    loop {
        match stream.next().await {
            Some(Ok(item)) => {
                items.push(item);
                after(items.len());
            }
            Some(Err(e)) => return (items, e),
            None => panic!("the listing was expected to fail part-way"),
        }
    }
}

#[tokio::test]
async fn a_token_listing_resumes_where_it_failed() {
    let emu = emulator().await;
    let window = emu.seeded().ssm.window_execution_ids[0].clone();
    let client = cloudjobs::ssm_mw::Client::new(config(&emu, RetryConfig::standard()));
    let paginator = || {
        client
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(&window)
            .into_paginator()
            .page_size(10)
    };

    // Throttle everything once 40 items (4 pages) were taken.
    let (first, err) = until_error(paginator().items(), |n| {
        if n == 40 {
            emu.emulator().set_faults(Faults {
                throttle_rate: 1.0,
                ..Faults::NONE
            });
        }
    })
    .await;
    assert_eq!(first.len(), 40);
    assert_eq!(err.code(), Some("ThrottlingException"), "{err}");
    assert_eq!(err.attempts(), 3);
    let Some(ResumePoint::Token(token)) = err.resume_point().cloned() else {
        panic!("a token to resume from: {err}")
    };
    assert!(err.to_string().contains("4 pages received"), "{err}");
    assert!(err.to_string().contains(&token), "{err}");

    emu.emulator().set_faults(Faults::NONE);
    let rest: Vec<_> = paginator()
        .starting_token(token)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = first
        .iter()
        .chain(&rest)
        .map(|t| t.task_execution_id.clone().unwrap())
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no item twice");
    assert_eq!(ids.len(), 95, "no gap");
}

#[tokio::test]
async fn an_offset_listing_resumes_where_it_failed() {
    let emu = emulator().await;
    let client = cloudjobs::spaceone_identity::Client::new(config(
        &emu,
        RetryConfig::standard().with_max_attempts(2),
    ));
    let paginator = || client.list_jobs().into_paginator().page_size(20);

    let (first, err) = until_error(paginator().items(), |n| {
        if n == 60 {
            emu.emulator().inject_error(InjectedError {
                service: Service::SpaceOne,
                status: 503,
                code: None,
                message: None,
                count: 2,
            });
        }
    })
    .await;
    assert_eq!(first.len(), 60);
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.resume_point(), Some(&ResumePoint::Offset(61)));
    let text = err.resume_point().unwrap().starting_token().unwrap();
    assert_eq!(text, "61");

    let rest: Vec<_> = paginator()
        .starting_token(text)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: BTreeSet<String> = first
        .iter()
        .chain(&rest)
        .map(|j| j.job_id.clone().unwrap())
        .collect();
    assert_eq!(first.len() + rest.len(), 95);
    assert_eq!(ids.len(), 95);

    // A starting token that is not an offset is refused, naming it.
    let err = paginator()
        .starting_token("next-page-please")
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    let invalid = err.as_invalid_input().expect("invalid input");
    assert_eq!(invalid.field, "starting_token");
}

#[tokio::test]
async fn page_retries_ask_again_for_the_failed_page() {
    let emu = emulator().await;
    let window = emu.seeded().ssm.window_execution_ids[0].clone();
    // One attempt per operation, three page retries: two failures in a row cost two page
    // retries and nothing else.
    let client = cloudjobs::ssm_mw::Client::new(config(
        &emu,
        RetryConfig::standard()
            .with_max_attempts(1)
            .with_page_retries(3)
            .with_max_backoff(Duration::from_millis(5)),
    ));
    let (ids, err) = {
        let mut stream = client
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(&window)
            .into_paginator()
            .page_size(10)
            .items();
        let mut ids = Vec::new();
        let mut err = None;
        while let Some(item) = stream.next().await {
            match item {
                Ok(t) => {
                    ids.push(t.task_execution_id.unwrap());
                    if ids.len() == 30 {
                        emu.emulator().inject_error(InjectedError {
                            service: Service::Ssm,
                            status: 500,
                            code: Some("InternalServerError".into()),
                            message: None,
                            count: 2,
                        });
                    }
                }
                Err(e) => err = Some(e),
            }
        }
        (ids, err)
    };
    assert!(err.is_none(), "{err:?}");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (95, 95));
    let stats = client.handle().retry_stats();
    assert_eq!(stats.page_retries, 2);
    assert_eq!(stats.retries, 0);

    // More failures than page retries: the error says where to resume.
    emu.emulator().inject_error(InjectedError {
        service: Service::Ssm,
        status: 500,
        code: Some("InternalServerError".into()),
        message: None,
        count: 10,
    });
    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&window)
        .into_paginator()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(err.resume_point(), Some(&ResumePoint::Start));
    assert_eq!(client.handle().retry_stats().page_retries, 5);
}
