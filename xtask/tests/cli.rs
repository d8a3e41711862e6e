//! The xtask as a user runs it: bad docs write nothing, `--check` names stale files, a
//! standalone crate is written whole.

use std::path::Path;
use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
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
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn with_strict_a_doc_error_writes_nothing_and_names_file_and_line() {
    let docs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("client");
    std::fs::write(docs.path().join("things.md"), GOOD).unwrap();
    let first = xtask(&[
        "codegen",
        "--docs",
        docs.path().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = tree(&out_dir);
    assert!(before.iter().any(|(p, _)| p == "src/generated/things.rs"));

    // Break one doc and add another: nothing at all may change.
    std::fs::write(
        docs.path().join("things.md"),
        GOOD.replace("**GET**", "**FETCH**"),
    )
    .unwrap();
    std::fs::write(docs.path().join("more.md"), GOOD.replace("Things", "More")).unwrap();
    let second = xtask(&[
        "codegen",
        "--docs",
        docs.path().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--strict",
    ]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(stderr.contains("things.md:5:"), "{stderr}");
    assert!(stderr.contains("unknown HTTP method `FETCH`"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(tree(&out_dir), before);
}

#[test]
fn without_strict_a_doc_error_costs_only_the_endpoint_it_names() {
    let docs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("client");
    // One endpoint the generator cannot serve (an unknown method) beside one it can.
    let broken = GOOD
        .replace("**GET**", "**FETCH**")
        .replace("# Things\n\n", "");
    let get = GOOD.replace("List things", "Get thing");
    std::fs::write(docs.path().join("things.md"), format!("{get}\n{broken}")).unwrap();
    std::fs::write(docs.path().join("more.md"), GOOD.replace("Things", "More")).unwrap();
    let run = xtask(&[
        "codegen",
        "--docs",
        docs.path().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("unknown HTTP method `FETCH`"), "{stderr}");
    assert!(
        stderr.contains("warning: 1 error(s) in the docs: each leaves out"),
        "{stderr}"
    );
    let written = tree(&out_dir);
    let file = |name: &str| {
        written
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("{name} is written"))
    };
    assert!(file("src/generated/things.rs").contains("pub fn get_thing("));
    assert!(!file("src/generated/things.rs").contains("pub fn list_things("));
    assert!(file("src/generated/more.rs").contains("pub fn list_things("));
}

#[test]
fn check_names_stale_files_and_writes_nothing() {
    let docs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("client");
    std::fs::write(docs.path().join("things.md"), GOOD).unwrap();
    let args = [
        "codegen",
        "--docs",
        docs.path().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    assert!(xtask(&args).status.success());
    let fresh = xtask(&[&args[..], &["--check"]].concat());
    assert!(
        fresh.status.success(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    std::fs::write(
        docs.path().join("things.md"),
        GOOD.replace("List things", "List all things"),
    )
    .unwrap();
    let before = tree(&out_dir);
    let stale = xtask(&[&args[..], &["--check"]].concat());
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(!stale.status.success());
    assert!(
        stderr.contains("out of date") && stderr.contains("src/generated/things.rs"),
        "{stderr}"
    );
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

#[test]
fn paths_are_relative_to_the_current_directory_and_output_does_not_depend_on_them() {
    let here = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(here.path().join("docs")).unwrap();
    std::fs::write(here.path().join("docs/things.md"), GOOD).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--docs", "docs", "--out", "out/client"])
        .current_dir(here.path())
        .output()
        .expect("xtask runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let first = tree(&here.path().join("out/client"));
    assert!(
        first.iter().any(|(p, _)| p == "src/generated/things.rs"),
        "{first:?}"
    );

    // The same docs elsewhere, the crate elsewhere: the same bytes.
    let elsewhere = tempfile::tempdir().unwrap();
    let docs = elsewhere.path().join("deep/er/docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("things.md"), GOOD).unwrap();
    let out = elsewhere.path().join("client");
    assert!(
        xtask(&[
            "codegen",
            "--docs",
            docs.to_str().unwrap(),
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert_eq!(tree(&out), first);
    let generated = &first
        .iter()
        .find(|(p, _)| p == "src/generated/things.rs")
        .unwrap()
        .1;
    assert!(
        generated.starts_with("// @generated by `cargo xtask codegen` from things.md."),
        "{generated}"
    );
}

#[test]
fn a_crate_directory_named_like_a_keyword_gets_a_valid_name_and_working_examples() {
    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("things.md"), GOOD).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("type");
    assert!(
        xtask(&[
            "codegen",
            "--docs",
            docs.path().to_str().unwrap(),
            "--out",
            dir.to_str().unwrap()
        ])
        .status
        .success()
    );
    let files = tree(&dir);
    let manifest = &files.iter().find(|(p, _)| p == "Cargo.toml").unwrap().1;
    assert!(manifest.contains("name = \"type-client\""), "{manifest}");
    let module = &files
        .iter()
        .find(|(p, _)| p == "src/generated/things.rs")
        .unwrap()
        .1;
    assert!(
        module.contains("type_client::Client"),
        "the examples use the library name:\n{module}"
    );
}

#[test]
fn the_ir_command_stops_quietly_when_its_reader_goes_away() {
    use std::io::Read as _;
    let docs = tempfile::tempdir().unwrap();
    // Far more output than a pipe buffers, so the writer meets the closed pipe.
    let mut doc = String::from("# Many\n\n");
    for i in 0..400 {
        // Documented responses: no warnings on stderr, which nobody reads until the end.
        doc.push_str(&format!("## Get thing {i}\n\n**GET** `/things/{i}`\n\nA description long enough to take some room in the IR output.\n\n### Responses\n\n#### 200 OK\n\n"));
    }
    std::fs::write(docs.path().join("many.md"), doc).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["ir", "--docs", docs.path().to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xtask runs");
    let mut head = [0u8; 16];
    child
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut head)
        .expect("some output");
    // `head` has what it wanted and closes the pipe (the handle was dropped above).
    let output = child.wait_with_output().expect("exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
}
