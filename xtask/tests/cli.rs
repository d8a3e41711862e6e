//! The xtask as a user runs it: bad docs write nothing, `--check` names stale files, a
//! standalone crate is written whole.

use std::path::Path;
use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs")
}

const GOOD: &str = "# Things\n\n## List things\n\n**GET** `/things/{id}`\n\n### Responses\n\n#### 200 OK\n\n> Data is at `body[\"result\"]`\n\n```json\n{ \"id\": \"*string*\" }\n```\n";

fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_doc_error_writes_nothing_and_names_file_and_line() {
    let docs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("client");
    std::fs::write(docs.path().join("things.md"), GOOD).unwrap();
    let first = xtask(&["codegen", "--docs", docs.path().to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let before = tree(&out_dir);
    assert!(before.iter().any(|(p, _)| p == "src/generated/things.rs"));

    // Break one doc and add another: nothing at all may change.
    std::fs::write(docs.path().join("things.md"), GOOD.replace("**GET**", "**FETCH**")).unwrap();
    std::fs::write(docs.path().join("more.md"), GOOD.replace("Things", "More")).unwrap();
    let second = xtask(&["codegen", "--docs", docs.path().to_str().unwrap(), "--out", out_dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(stderr.contains("things.md:5:"), "{stderr}");
    assert!(stderr.contains("unknown HTTP method `FETCH`"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(tree(&out_dir), before);
}

#[test]
fn check_names_stale_files_and_writes_nothing() {
    let docs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("client");
    std::fs::write(docs.path().join("things.md"), GOOD).unwrap();
    let args = ["codegen", "--docs", docs.path().to_str().unwrap(), "--out", out_dir.to_str().unwrap()];
    assert!(xtask(&args).status.success());
    let fresh = xtask(&[&args[..], &["--check"]].concat());
    assert!(fresh.status.success(), "{}", String::from_utf8_lossy(&fresh.stderr));

    std::fs::write(docs.path().join("things.md"), GOOD.replace("List things", "List all things")).unwrap();
    let before = tree(&out_dir);
    let stale = xtask(&[&args[..], &["--check"]].concat());
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(!stale.status.success());
    assert!(stderr.contains("out of date") && stderr.contains("src/generated/things.rs"), "{stderr}");
    assert_eq!(tree(&out_dir), before);
}

#[test]
fn the_ir_command_prints_one_record_per_endpoint() {
    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("things.md"), GOOD).unwrap();
    let output = xtask(&["ir", "--docs", docs.path().to_str().unwrap()]);
    assert!(output.status.success());
    let ir: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(ir[0]["group"], "things");
    assert_eq!(ir[0]["line"], 3);
    assert_eq!(ir[0]["method"], "GET");
    assert_eq!(ir[0]["path_params"], serde_json::json!(["id"]));
    assert_eq!(ir[0]["responses"][0]["data_at"], "body[\"result\"]");
    assert_eq!(ir[0]["responses"][0]["shape"]["kind"], "object");
}
