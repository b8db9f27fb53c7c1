//! AWS credentials and region, found where the AWS CLI finds them: `--profile` names a
//! profile; otherwise the `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
//! `AWS_SESSION_TOKEN` variables; otherwise the profile of `[deploy]`, or the one
//! `AWS_PROFILE` names, or `default`, in `~/.aws/credentials` and `~/.aws/config`
//! (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`): keys or a `credential_process`
//! (which covers SSO through `aws configure export-credentials`).
//!
//! A profile in worklog.toml does not hide the variables: CI (an OIDC role) sets them
//! for a site whose config names the author's own profile.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
}

/// The environment, as a function so tests can give their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The credentials, or one line saying what is missing. `explicit`: the profile was
/// given on the command line, and wins over the variables.
pub fn keys(profile: Option<&str>, explicit: bool, env: Env<'_>) -> Result<Keys, String> {
    if !explicit
        && let (Some(access_key), Some(secret_key)) =
            (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))
    {
        return Ok(Keys {
            access_key,
            secret_key,
            session_token: env("AWS_SESSION_TOKEN").filter(|t| !t.is_empty()),
        });
    }
    let name = profile
        .map(str::to_owned)
        .or_else(|| env("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let settings = profile_settings(&name, env);
    if let (Some(access_key), Some(secret_key)) = (
        settings.get("aws_access_key_id"),
        settings.get("aws_secret_access_key"),
    ) {
        return Ok(Keys {
            access_key: access_key.clone(),
            secret_key: secret_key.clone(),
            session_token: settings.get("aws_session_token").cloned(),
        });
    }
    if let Some(process) = settings.get("credential_process") {
        return run_process(process, &name);
    }
    Err(format!(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give a profile of ~/.aws/credentials with --profile (looked for profile \"{name}\")"
    ))
}

/// `--region`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then
/// `us-east-1`.
pub fn region(profile: Option<&str>, env: Env<'_>) -> String {
    env("AWS_REGION")
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| {
            let name = profile
                .map(str::to_owned)
                .or_else(|| env("AWS_PROFILE"))
                .unwrap_or_else(|| "default".into());
            profile_settings(&name, env).remove("region")
        })
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "us-east-1".into())
}

/// A profile's settings from both files; the credentials file wins.
fn profile_settings(name: &str, env: Env<'_>) -> HashMap<String, String> {
    let home = env("HOME").map(PathBuf::from).unwrap_or_default();
    let config = env("AWS_CONFIG_FILE").map_or_else(|| home.join(".aws/config"), PathBuf::from);
    let credentials = env("AWS_SHARED_CREDENTIALS_FILE")
        .map_or_else(|| home.join(".aws/credentials"), PathBuf::from);
    let mut settings = HashMap::new();
    if let Ok(text) = std::fs::read_to_string(config) {
        // The config file names profiles `[profile NAME]`, except `[default]`.
        let section = if name == "default" {
            "default".to_string()
        } else {
            format!("profile {name}")
        };
        settings.extend(ini_section(&text, &section));
    }
    if let Ok(text) = std::fs::read_to_string(credentials) {
        settings.extend(ini_section(&text, name));
    }
    settings
}

/// The `key = value` lines of `[section]` of an INI file.
fn ini_section(text: &str, section: &str) -> HashMap<String, String> {
    let mut inside = false;
    let mut out = HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.split_whitespace().collect::<Vec<_>>().join(" ") == section;
        } else if inside && let Some((k, v)) = line.split_once('=') {
            out.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    out
}

/// Runs a `credential_process` and reads the JSON it prints.
fn run_process(command: &str, profile: &str) -> Result<Keys, String> {
    let failed =
        |why: String| format!("credential_process of profile \"{profile}\" ({command}): {why}");
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .output()
        .map_err(|e| failed(e.to_string()))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(failed(format!(
            "exited with {}: {}",
            out.status,
            stderr.lines().next().unwrap_or("").trim()
        )));
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Printed {
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
    }
    let printed: Printed = serde_json::from_slice(&out.stdout)
        .map_err(|e| failed(format!("did not print credentials as JSON: {e}")))?;
    Ok(Keys {
        access_key: printed.access_key_id,
        secret_key: printed.secret_access_key,
        session_token: printed.session_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &[(&str, String)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        move |k| vars.get(k).cloned()
    }

    #[test]
    fn from_the_environment_then_profiles_then_credential_process() {
        let dir = tempfile::tempdir().unwrap();
        let creds = dir.path().join("credentials");
        let config = dir.path().join("config");
        std::fs::write(
            &creds,
            "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n[work]\naws_access_key_id=W\naws_secret_access_key=WS\naws_session_token=WT\n",
        )
        .unwrap();
        std::fs::write(
            &config,
            "[default]\nregion = eu-west-1\n[profile sso]\nregion = ap-southeast-1\ncredential_process = echo '{\"Version\":1,\"AccessKeyId\":\"P\",\"SecretAccessKey\":\"PS\",\"SessionToken\":\"PT\"}'\n[profile broken]\ncredential_process = sh -c 'echo expired >&2; exit 3'\n",
        )
        .unwrap();
        let files = [
            ("AWS_SHARED_CREDENTIALS_FILE", creds.display().to_string()),
            ("AWS_CONFIG_FILE", config.display().to_string()),
        ];
        let env = env_of(&files);
        assert_eq!(keys(None, false, &env).unwrap().access_key, "D");
        assert_eq!(region(None, &env), "eu-west-1");
        let work = keys(Some("work"), true, &env).unwrap();
        assert_eq!(work.session_token.as_deref(), Some("WT"));
        let sso = keys(Some("sso"), true, &env).unwrap();
        assert_eq!(
            (sso.access_key.as_str(), sso.secret_key.as_str()),
            ("P", "PS")
        );
        assert_eq!(region(Some("sso"), &env), "ap-southeast-1");
        let broken = keys(Some("broken"), true, &env).unwrap_err();
        assert!(
            broken.contains("exited") && broken.contains("expired"),
            "{broken}"
        );
        assert!(
            keys(Some("nope"), true, &env)
                .unwrap_err()
                .contains("no AWS credentials")
        );

        let mut vars = files.to_vec();
        vars.push(("AWS_ACCESS_KEY_ID", "E".into()));
        vars.push(("AWS_SECRET_ACCESS_KEY", "ES".into()));
        vars.push(("AWS_PROFILE", "work".into()));
        vars.push(("AWS_REGION", "us-west-2".into()));
        let env = env_of(&vars);
        assert_eq!(keys(None, false, &env).unwrap().access_key, "E");
        assert_eq!(keys(Some("work"), true, &env).unwrap().access_key, "W");
        // A profile of worklog.toml, not the command line: the variables win.
        assert_eq!(keys(Some("work"), false, &env).unwrap().access_key, "E");
        assert_eq!(region(Some("sso"), &env), "us-west-2");
    }
}
