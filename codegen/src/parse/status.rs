//! Parse stage, status grammar: the first word of a `#### <status> <text>` heading → [`Status`].

use crate::ir::Status;

/// `200`, `4XX`/`4xx`, `default`. The error is (message, help).
pub(super) fn parse_status_token(token: &str) -> Result<Status, (String, String)> {
    const HELP: &str = "a response heading is `#### <status> <text>`, the status being a code (`200`), a class (`4XX`, any case) or `default`";
    let bytes = token.as_bytes();
    if token == "default" {
        return Ok(Status::Default);
    }
    if token.eq_ignore_ascii_case("default") {
        return Err((
            format!("unknown status `{token}`"),
            "write `default` in lower case".to_owned(),
        ));
    }
    if let [a, b, c] = bytes {
        if bytes.iter().all(u8::is_ascii_digit) {
            let code = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
            if (100..=599).contains(&code) {
                return Ok(Status::Code(code));
            }
            return Err((
                format!("status code `{token}` is outside 100-599"),
                HELP.to_owned(),
            ));
        }
        if (b'1'..=b'5').contains(a)
            && b.eq_ignore_ascii_case(&b'x')
            && c.eq_ignore_ascii_case(&b'x')
        {
            return Ok(Status::Class(a - b'0'));
        }
    }
    let message = if token.is_empty() {
        "expected a status after `####`".to_owned()
    } else {
        format!("expected a status (`200`, `4XX` or `default`), found `{token}`")
    };
    Err((message, HELP.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(parse_status_token("200"), Ok(Status::Code(200)));
        assert_eq!(parse_status_token("4xx"), Ok(Status::Class(4)));
        assert_eq!(parse_status_token("5XX"), Ok(Status::Class(5)));
        assert_eq!(parse_status_token("default"), Ok(Status::Default));
        assert!(parse_status_token("Default").is_err());
        assert!(parse_status_token("600").is_err());
        assert!(parse_status_token("6XX").is_err());
        assert!(parse_status_token("OK").is_err());
        assert!(parse_status_token("").is_err());
        assert_eq!(Status::Class(4).to_string(), "4XX");
    }
}
