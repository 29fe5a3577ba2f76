//! Blob payloads of the wire fixture: raw bytes with the member's media type.

use cloudjobs_runtime::{Blob, Config, Credentials, HttpResponse, Operation};
use wire_fixture::Client;
use wire_fixture::operation::upload_blob::{UploadBlob, UploadBlobInput};

#[tokio::test]
async fn blob_payload_is_raw_bytes() {
    let client = Client::new(
        Config::builder()
            .endpoint_url("https://example.com")
            .region("us-east-1")
            .credentials(Credentials::new("AKIDEXAMPLE", "secret", None, None, "test"))
            .build(),
    );
    let mut input = UploadBlobInput::default();
    input.data = Some(Blob::new(vec![0u8, 159, 146, 150]));
    let req = client.handle().prepare::<UploadBlob>(&input).await.unwrap();
    assert_eq!(req.body().as_ref(), &[0u8, 159, 146, 150]);
    assert_eq!(
        req.headers().get("content-type").unwrap().to_str().unwrap(),
        "image/png"
    );
    let req = client
        .handle()
        .prepare::<UploadBlob>(&UploadBlobInput::default())
        .await
        .unwrap();
    assert!(req.body().is_empty());
    assert!(req.headers().get("content-type").is_none());

    let out = UploadBlob::deserialize_output(&HttpResponse {
        status: 200,
        headers: http::HeaderMap::new(),
        body: bytes::Bytes::from_static(&[1, 2, 3]),
    })
    .unwrap();
    assert_eq!(out.data.unwrap().as_ref(), &[1u8, 2, 3]);
}
