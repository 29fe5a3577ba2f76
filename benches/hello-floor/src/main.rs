//! One call of each of the five APIs through the hand-written floor client (the same file the
//! request-cost benchmark uses). Without `HELLO_ENDPOINT_URL` it only prints a line.

#[path = "../../clients/src/floor.rs"]
#[allow(dead_code)]
mod floor;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), floor::FloorError> {
    let Ok(url) = std::env::var("HELLO_ENDPOINT_URL") else {
        println!("hello from the floor: set HELLO_ENDPOINT_URL to call five services");
        return Ok(());
    };
    let floor = floor::Floor::new(&url, "AKID", "secret", "token");
    let page = floor.partner_central_page("AWS", 10, None).await?;
    println!("partner central: {} bytes of debug", format!("{page:?}").len());
    let page = floor.macie2_page(10, None).await?;
    println!("macie2: {} bytes of debug", format!("{page:?}").len());
    let page = floor.ssm_page("12345678-1234-1234-1234-123456789012", 10, None).await?;
    println!("ssm: {} bytes of debug", format!("{page:?}").len());
    let page = floor.spaceone_page(1, 10).await?;
    println!("spaceone: {} bytes of debug", format!("{page:?}").len());
    let status = floor.cloud_rewind_status(1, "p", 1, "x").await?;
    println!("cloud rewind: {status:?}");
    Ok(())
}
