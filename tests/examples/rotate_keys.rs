//! Rotates the admin keys of an Azure AI Search service: the secondary key first (so clients
//! can move to it), then the primary. Prints which key changed, never a key.
//!
//! Against the Prism mock (see README, "Try it against a mock"):
//!
//! ```sh
//! cargo run -p integration-tests --example rotate_keys -- \
//!     --base-url http://127.0.0.1:4010 --subscription subid --resource-group rg1 --service mysearchservice
//! ```
//!
//! Against Azure, drop `--base-url` and put a token in `AZURE_TOKEN`
//! (`az account get-access-token --query accessToken -o tsv`).

use std::process::ExitCode;

use azure_keys::search::{self, AdminKeyKind, AdminKeyResult};
use azure_keys::{Client, StaticToken};

struct Args {
    base_url: Option<String>,
    subscription: String,
    resource_group: String,
    service: String,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        base_url: None,
        subscription: String::new(),
        resource_group: String::new(),
        service: String::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base-url" => args.base_url = Some(value),
            "--subscription" => args.subscription = value,
            "--resource-group" => args.resource_group = value,
            "--service" => args.service = value,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.subscription.is_empty() || args.resource_group.is_empty() || args.service.is_empty() {
        return Err("usage: rotate_keys [--base-url URL] --subscription ID --resource-group NAME --service NAME".into());
    }
    Ok(args)
}

fn describe(before: &AdminKeyResult, after: &AdminKeyResult) -> String {
    let changed = |a: &Option<_>, b: &Option<_>| if a == b { "unchanged" } else { "changed" };
    format!(
        "primary {}, secondary {}",
        changed(&before.primary_key, &after.primary_key),
        changed(&before.secondary_key, &after.secondary_key)
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let token = std::env::var("AZURE_TOKEN").unwrap_or_else(|_| "mock-token".to_owned());
    let mut builder = Client::builder().credential(StaticToken::new(token));
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut previous: Option<AdminKeyResult> = None;
    for kind in [AdminKeyKind::Secondary, AdminKeyKind::Primary] {
        let result = search::admin_keys_regenerate(
            &client,
            &args.subscription,
            &args.resource_group,
            &args.service,
            kind.clone(),
        )
        .await;
        match result {
            Ok(keys) => {
                let change = previous
                    .as_ref()
                    .map(|p| describe(p, &keys))
                    .unwrap_or_else(|| "first call: both keys received".to_owned());
                // `{keys:?}` would print `<redacted>`: safe, but says nothing useful here.
                println!("regenerated the {kind} key: {change}");
                previous = Some(keys);
            }
            Err(e) => {
                eprintln!("regenerating the {kind} key failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("rotation complete");
    ExitCode::SUCCESS
}
