//! Reads one JSON batch on stdin and writes one JSON verdict per case on stdout (JSON lines, in order):
//!
//!   {"aliases": [<Get-AzPolicyAlias provider objects>],
//!    "definitions": {"<key>": <policy definition, {"properties": {...}}>},
//!    "resources": [<ARM resource>],
//!    "cases": [{"definition": "<key>", "resource": <index into resources>, "parameters": {...}}]}
//!
//!   {"effect": "deny"} | {"effect": null} | {"error": "<message>"}
//!
//! One process per batch, each definition compiled and each resource normalized once, so tens of
//! thousands of cases take seconds.
//! `effect: null` is regorus's "undefined": the `if` did not match, or a template function failed
//! (regorus does not distinguish those; the caller treats the latter as a finding).

use anyhow::{anyhow, Context, Result};
use regorus::languages::azure_policy::aliases::{normalizer, AliasRegistry};
use regorus::languages::azure_policy::{compiler, parser};
use regorus::rvm::RegoVM;
use regorus::{Rc, Source, Value};
use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};

fn main() -> Result<()> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let batch: serde_json::Value = serde_json::from_str(&text).context("stdin is not JSON")?;

    let mut registry = AliasRegistry::new();
    registry.load_from_json(&batch["aliases"].to_string()).context("aliases")?;
    let registry = Rc::new(registry);

    let mut programs = BTreeMap::new();
    for (key, definition) in batch["definitions"].as_object().ok_or_else(|| anyhow!("no definitions"))? {
        // Pretty-printed: regorus's lexer refuses lines over 8192 columns, and a compact definition is
        // one line.
        let source = Source::from_contents(format!("definition:{key}"), serde_json::to_string_pretty(definition)?)?;
        let parsed = parser::parse_policy_definition(&source).map_err(|e| anyhow!("parse {key}: {}", diagnostic(&e.to_string())))?;
        let program = compiler::compile_policy_definition_with_aliases(&parsed, Rc::clone(&registry))
            .map_err(|e| anyhow!("compile {key}: {}", diagnostic(&e.to_string())))?;
        programs.insert(key.clone(), program);
    }

    // The request's resource group and subscription; the definitions read neither.
    let context = Value::from_json_str(
        r#"{"resourceGroup":{"name":"rg","location":"westeurope"},
            "subscription":{"subscriptionId":"00000000-0000-0000-0000-000000000000"}}"#,
    )?;
    // The host's job in production: ARM resource -> alias-normalized input (properties flattened,
    // keys lowercased, alias paths resolved), as regorus's own conformance runner does.
    let mut resources = Vec::new();
    // Azure resolves an alias at the request's API version ("Azure Policy definition structure
    // aliases": "the policy engine gets the property path for that API version"), so a resource's
    // `apiVersion` selects the alias's versioned paths.
    for raw in batch["resources"].as_array().ok_or_else(|| anyhow!("no resources"))? {
        let api_version = raw.get("apiVersion").and_then(|v| v.as_str());
        resources.push(normalizer::normalize(&Value::from_json_str(&raw.to_string())?, Some(&registry), api_version));
    }
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    for case in batch["cases"].as_array().ok_or_else(|| anyhow!("no cases"))? {
        let key = case["definition"].as_str().unwrap_or_default();
        let program = programs.get(key).ok_or_else(|| anyhow!("unknown definition {key}"))?;
        let index = case["resource"].as_u64().unwrap_or(u64::MAX) as usize;
        let resource = resources.get(index).ok_or_else(|| anyhow!("no resource {index}"))?;
        let verdict = match judge(program, resource, &case["parameters"], &context) {
            Ok(Value::Undefined) => serde_json::json!({ "effect": null }),
            Ok(value) => match value.as_object().ok().and_then(|o| o.get(&Value::from("effect")).cloned()) {
                Some(Value::String(effect)) => serde_json::json!({ "effect": effect.to_string() }),
                _ => serde_json::json!({ "error": format!("unexpected result {value}") }),
            },
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        writeln!(out, "{verdict}")?;
    }
    out.flush()?;
    Ok(())
}

/// regorus renders the offending source line before the message; keep the message.
fn diagnostic(rendered: &str) -> &str {
    rendered.rsplit_once("\nerror: ").map_or(rendered, |(_, message)| message)
}

fn judge(
    program: &Rc<regorus::rvm::Program>,
    resource: &Value,
    parameters: &serde_json::Value,
    context: &Value,
) -> Result<Value> {
    let mut input = Value::new_object();
    let map = input.as_object_mut()?;
    map.insert(Value::from("resource"), resource.clone());
    let parameters = if parameters.is_object() { parameters.to_string() } else { "{}".to_string() };
    map.insert(Value::from("parameters"), Value::from_json_str(&parameters)?);

    let mut vm = RegoVM::new();
    vm.load_program(Rc::clone(program));
    vm.set_input(input);
    vm.set_context(context.clone());
    Ok(vm.execute_entry_point_by_name("main")?)
}
