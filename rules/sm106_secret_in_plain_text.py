"""SM106 secret-in-plain-text: a secret in HyperParameters or Environment, readable by anyone who
describes the job.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator

from sagelint.job import Job, is_placeholder, pointer
from sagelint.patterns import Pattern
from sagelint.rule_api import Violation, rule
from sagelint.rules._facts import MODEL_DOCS

SECRET_MAPS = ("HyperParameters", "Environment")


# Shapes of credentials, found anywhere in a value whatever its key is called; the first match
# names the kind. (substrings that each such value holds, pattern, kind): the substring test
# comes first, so that a pattern compiles and runs only for values that may match it.
_SHAPES: tuple[tuple[tuple[str, ...], Pattern, str], ...] = (
    (
        ("-----BEGIN ",),
        Pattern(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        "a private key",
    ),
    (
        ("AKIA", "ASIA"),
        Pattern(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
        "an AWS access key ID",
    ),
    (
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        Pattern(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
        "a GitHub token",
    ),
    (("xox",), Pattern(r"(?<![A-Za-z0-9])xox[abeoprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (("xapp-",), Pattern(r"(?<![A-Za-z0-9])xapp-[0-9]+-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (
        ("hooks.slack.com/",),
        Pattern(r"hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,}"),
        "a Slack webhook URL",
    ),
    (
        ("sk-ant-",),
        Pattern(r"(?<![A-Za-z0-9_-])sk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{20,}"),
        "an Anthropic API key",
    ),
    (
        ("sk-",),
        Pattern(
            r"(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}"
            r"|[A-Za-z0-9]{32,}(?![A-Za-z0-9_-]))"
        ),
        "an OpenAI API key",
    ),
    (
        ("sk_live_", "sk_test_", "rk_live_", "rk_test_"),
        Pattern(r"(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"),
        "a Stripe API key",
    ),
    (
        ("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glimt-", "glsoat-", "glft-"),
        Pattern(r"(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|imt|soat|ft)-[A-Za-z0-9_-]{20,}"),
        "a GitLab token",
    ),
    (
        ("AIza",),
        Pattern(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
        "a Google API key",
    ),
    (
        ("AccountKey=", "SharedAccessKey="),
        Pattern(r"(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,}={0,2}"),
        "an Azure storage account key",
    ),
    (
        ("hf_",),
        Pattern(r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])"),
        "a Hugging Face token",
    ),
    (
        ("eyJ",),
        Pattern(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        "a JSON Web Token",
    ),
)


# user:password@ in a URL (database URLs, MLflow/Git remotes); the password must be literal.
# A scheme starts only where a run of scheme characters starts (the look-behind): a match is
# tried once per run, not at each of its characters, so a long run is read once (linear time).
_URL_PASSWORD = Pattern(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]+:(?P<password>[^\s/@]+)@"
)


# The shape of an AWS secret access key: 40 characters of base64 (AWS's documented example is
# wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY). Only trusted under a secret-like key name: a
# 40-character value is often a Git commit or another digest.
_AWS_SECRET_SHAPE = Pattern(r"(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])[A-Za-z0-9/+]{40}")


# A long token: 20+ characters of what API keys are made of, letters and digits both.
_LONG_TOKEN_SHAPE = Pattern(r"(?=[^0-9]*[0-9])(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9_+=-]{20,}")


# Values that stand for a secret kept elsewhere, or for no secret at all.
_REFERENCE = Pattern(
    r"""
    \$\{[^}]*\}                                  # ${VAR}, ${ssm:...}
    | \$[A-Za-z_][A-Za-z0-9_]*                   # $VAR
    | \{\{.*\}\}                                 # {{resolve:secretsmanager:...}}, templates
    | \$\$?\..*                                  # Step Functions JSONPath ($.x, $$.x)
    | arn:aws[a-z-]*:(?:secretsmanager|ssm):.*   # a Secrets Manager secret / SSM parameter
    | <[^<>]*>                                   # <your-password>
    | [*xX#.\u2022-]{3,}                         # ***, xxxx, masked
    | (?:your|insert|enter|replace)[-_ ].*       # YOUR_API_KEY, your-token-here
    """,
    re.VERBOSE | re.IGNORECASE,
)


_NOT_A_SECRET = frozenset(
    {"", "none", "null", "nil", "undefined", "true", "false", "n/a", "na", "tbd", "todo",
     "redacted", "[redacted]", "masked", "hidden", "placeholder"}
)  # fmt: skip


_PATH = Pattern(r"(?:/|\./|\.\./|~/|[A-Za-z][A-Za-z0-9+.-]*://)")


_WORDS = Pattern(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


_PASSWORD_WORDS = ("password", "passwd", "passphrase", "pwd")
# "pass" as a password (DB_PASS), not as a pass over the data (num_pass, second_pass).
_NOT_PASSWORD_PASS = frozenset(
    {"num", "max", "min", "first", "second", "third", "last", "next", "single", "multi", "one",
     "two", "forward", "backward", "data", "epoch", "training", "train", "eval", "full", "per",
     "n", "each", "every", "final", "warmup", "inference"}
)  # fmt: skip
# Keys that name a place or a thing in data, not a credential.
_NOT_CREDENTIAL_KEYS = frozenset(
    {"sort", "partition", "primary", "foreign", "hash", "range", "cache", "lookup", "label",
     "target", "feature", "group", "join", "index", "s3", "object", "file", "column", "field",
     "row", "id", "kms", "public", "model", "data", "dataset", "metric", "input", "output",
     "prefix", "bucket", "path", "name", "type", "class", "sample", "split", "text", "image",
     "config", "param", "map", "dict", "order", "shard", "cluster", "routing", "idempotency",
     "dedup", "message", "event", "record", "item", "entity", "table", "schema", "attribute",
     "composite", "unique", "tenant", "customer", "checkpoint", "state", "json", "yaml", "csv",
     "parquet", "manifest", "channel", "sequence", "batch", "seed", "random", "rng", "prng"}
)  # fmt: skip
# Services whose credentials an entry named SERVICE_KEY holds (OPENAI_KEY, WANDB_KEY): a name
# that ends in "key" after one of these is an API key.
_SERVICES = frozenset(
    {"openai", "anthropic", "claude", "wandb", "comet", "neptune", "hf", "huggingface", "cohere",
     "mistral", "pinecone", "replicate", "together", "groq", "deepseek", "gemini", "google",
     "gcp", "azure", "stripe", "sendgrid", "twilio", "datadog", "dd", "sentry", "slack",
     "github", "gitlab", "langchain", "langsmith", "weaviate", "qdrant", "openrouter",
     "perplexity", "voyage", "jina", "fireworks", "nvidia", "ngc", "kaggle", "clearml",
     "mlflow", "databricks", "snowflake", "elastic", "algolia", "mailgun", "pagerduty",
     "opsgenie", "newrelic", "honeycomb", "segment", "mixpanel", "amplitude", "openweather",
     "serpapi", "tavily", "firecrawl", "exa", "unstructured", "assemblyai", "elevenlabs"}
)  # fmt: skip


_KEY_PAIRS = {
    ("api", "key"): "an API key",
    ("private", "key"): "a private key",
    ("secret", "key"): "a secret key",
    ("access", "key"): "an access key",
    ("account", "key"): "an account key",
    ("auth", "key"): "an auth key",
    ("signing", "key"): "a signing key",
    ("master", "key"): "a master key",
}


_KEY_WORDS = {
    "apikey": "an API key",
    "privatekey": "a private key",
    "secretkey": "a secret key",
    "accesskey": "an access key",
}


# Tokenizer settings (pad_token, eos_token, mask_token, ...) are not credentials.
_TOKENIZER_WORDS = frozenset(
    {"pad", "eos", "bos", "unk", "sep", "cls", "mask", "special", "start", "end", "stop",
     "begin", "max", "min", "num", "image", "audio", "video", "decoder", "encoder", "sentinel",
     "separator", "eot", "prompt", "chat", "tool", "additional", "default", "fill", "null"}
)  # fmt: skip


def _words(key: str) -> list[str]:
    """``HF_TOKEN`` -> [hf, token]; ``dbPassword`` -> [db, password]; ``APIKey`` -> [api, key]."""
    return [word.lower() for word in _WORDS.findall(key)]


# What value a credential name holds a credential in: any value (a password can be "12345"),
# any value but a number or a flag, a value shaped like a token (8+ characters, no spaces), or
# a long token (20+ letters and digits, no dots or slashes: no file name, no path).
_ANY, _NOT_A_NUMBER, _TOKEN_SHAPED, _LONG_TOKEN = (
    "any",
    "not a number",
    "token-shaped",
    "a long token",
)


@functools.lru_cache(maxsize=4096)
def _secret_name(key: str) -> tuple[str, str] | None:
    """(kind, which values count) when a key's name says its value is a credential. The
    credential word must be the last one: ``db_password`` is a password, ``password_file`` a
    path. (Cached: the jobs of a repository or an account repeat their keys' names.)"""
    words = _words(key)
    if not words or key in ("PWD", "OLDPWD"):  # the shell's working directories
        return None
    last = words[-1]
    if last == "key" and "secret" in words and ("access" in words or "aws" in words):
        return "an AWS secret access key", _TOKEN_SHAPED
    if last.endswith(_PASSWORD_WORDS):
        return "a password", _ANY
    if last == "pass" and (len(words) == 1 or words[-2] not in _NOT_PASSWORD_PASS):
        return "a password", _NOT_A_NUMBER
    pair = (words[-2], last) if len(words) > 1 else None
    if pair in _KEY_PAIRS:
        return _KEY_PAIRS[pair], _TOKEN_SHAPED
    if last in _KEY_WORDS:
        return _KEY_WORDS[last], _TOKEN_SHAPED
    if last == "key" and len(words) > 1 and words[-2] in _SERVICES:
        return "an API key", _TOKEN_SHAPED
    if last == "key" and (len(words) == 1 or words[-2] not in _NOT_CREDENTIAL_KEYS):
        return "a key", _LONG_TOKEN  # LICENSE_KEY, MY_KEY: but not sort_key, s3_key
    if last == "pat":  # GITLAB_PAT, GITHUB_PAT: a personal access token
        return "a personal access token", _TOKEN_SHAPED
    if last.endswith("secret"):
        return "a secret", _TOKEN_SHAPED
    if last.endswith("token") and not (len(words) > 1 and words[-2] in _TOKENIZER_WORDS):
        return "a token", _TOKEN_SHAPED
    if last in ("credential", "credentials", "creds"):
        return "credentials", _TOKEN_SHAPED
    return None


def _unquoted(value: str) -> str:
    """The SageMaker Python SDK JSON-encodes hyperparameters: ``"\\"s3://...\\""``."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, str):
            return decoded
    return value


def _stands_in(value: str) -> bool:
    """A value that is not itself a secret: empty, a reference, a placeholder, a mask, a path."""
    text = value.strip()
    return (
        text.lower() in _NOT_A_SECRET
        or _REFERENCE.fullmatch(text) is not None
        or _PATH.match(text) is not None
    )


def _credential_shaped(value: str) -> bool:
    """Could this be a token or key: 8+ characters, no spaces or markup, not just a number?"""
    return (
        len(value) >= 8
        and not any(c.isspace() or c in "<>[]{}()|\"'," for c in value)
        and not value.replace(".", "", 1).lstrip("-").isdigit()
    )


# Any of the substrings of _SHAPES: one search tells whether a value needs the patterns at all.
_ANCHORS = Pattern("|".join(re.escape(anchor) for anchors, _, _ in _SHAPES for anchor in anchors))


def _by_shape(text: str) -> str | None:
    if _ANCHORS.search(text):
        for anchors, pattern, kind in _SHAPES:
            if any(anchor in text for anchor in anchors) and pattern.search(text):
                return kind
    if "://" in text and "@" in text:
        for match in _URL_PASSWORD.finditer(text):
            if not _stands_in(match.group("password")):
                return "a password in a URL"
    return None


def _secret_kind(key: str, value: str) -> str | None:
    """What kind of secret an entry holds, or None. Never returns anything of the value."""
    text = _unquoted(value).strip()
    shaped = _by_shape(text)
    if shaped is not None:
        return shaped
    named = _secret_name(key)
    if named is None or _stands_in(text):
        return None
    kind, counts = named
    if counts == _ANY:
        return kind
    if counts == _NOT_A_NUMBER:
        numeric = text.replace(".", "", 1).lstrip("-").isdigit()
        return None if numeric or text.lower() in ("yes", "no", "on", "off") else kind
    if not _credential_shaped(text):
        return None
    if counts == _LONG_TOKEN and not _LONG_TOKEN_SHAPE.fullmatch(text):
        return None
    if _AWS_SECRET_SHAPE.fullmatch(text) and kind in ("a secret", "a secret key"):
        return "an AWS secret access key"
    return kind


@rule(
    code="SM106",
    name="secret-in-plain-text",
    severity="error",
    summary="a secret in HyperParameters or Environment, readable by anyone who describes the job",
    references=(
        f"{MODEL_DOCS}: CreateTrainingJobRequest.HyperParameters",
        f"{MODEL_DOCS}: CreateTrainingJobRequest.Environment",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeTrainingJob.html",
    ),
    compliance=("CWE-312: cleartext storage of sensitive information",),
)
def secret_in_plain_text(job: Job) -> Iterator[Violation]:
    """
    ## What it does
    Looks at every entry of `HyperParameters` and `Environment` for a credential:

    - by the shape of the value, whatever the key is called, as each provider documents its
      keys: AWS access key IDs (`AKIA`/`ASIA` + 16), private keys (`-----BEGIN ... PRIVATE
      KEY-----`), GitHub tokens (`ghp_`, `github_pat_`, ...), GitLab tokens (`glpat-`,
      `gldt-`, ...), OpenAI keys (`sk-proj-`, `sk-svcacct-`, `sk-` + 32 or more), Anthropic
      keys (`sk-ant-api03-...`), Hugging Face tokens (`hf_`), Google API keys (`AIza` + 35),
      Slack tokens (`xoxb-`, `xapp-`, ...) and webhook URLs, Stripe keys (`sk_live_`,
      `rk_test_`, ...), Azure storage account keys (`AccountKey=...` in a connection
      string), JSON Web Tokens, and a password in a URL (`scheme://user:password@host`);
    - by the name of the key, when its last word is a credential word: `password`, `passwd`,
      `pwd`, `passphrase` (any non-empty value); `pass` (`DB_PASS`; any value but a number or
      a yes/no: `num_pass`, `second_pass` count passes over the data); `secret`, `token`,
      `api_key`/`apikey`, `secret_key`, `private_key`, `access_key`, `credentials`, `pat`, and
      `key` after a service's name (`OPENAI_KEY`, `WANDB_KEY`) (a value of 8 or more
      characters without spaces); any other name ending in `key`, unless the word before
      names a place in data (`sort_key`, `s3_key`, `kms_key`, ...), when its value is a long
      token (20 or more letters and digits, both, and no dots or slashes).
      `aws_secret_access_key`, or a 40-character base64 value under a secret key name, is
      reported as an AWS secret access key.

    Values that stand for a secret kept elsewhere, or that the document does not know, are
    left alone: template placeholders (`${VAR}`, `{{ var }}`, a JSONata `{% ... %}`), `$VAR`,
    `{{resolve:secretsmanager:...}}`, ARNs of Secrets Manager secrets and SSM parameters,
    Step Functions paths, file paths and URLs without a password, placeholders such as
    `***`, `<your-token>` or `YOUR_API_KEY`, and `true`/`false`/`none`. Keys whose last word
    is not a credential word (`password_file`, `secret_arn`, `max_tokens`) and tokenizer
    settings (`pad_token`, `eos_token`) are not credentials. Hyperparameter values that the
    SageMaker Python SDK JSON-encoded (`"\\"...\\""`) are decoded first.

    One finding per entry, at the entry; the message names the map, the key and the kind of
    secret, and never the value.

    ## Why is this bad?
    The model docs of both `HyperParameters` and `Environment`: "Do not include any
    security-sensitive information including account access IDs, secrets, or tokens in any
    hyperparameter fields. As part of the shared responsibility model, you are responsible for
    any potential exposure ...". DescribeTrainingJob returns both maps in clear to anyone
    allowed to describe the job, they are kept with the job after it ends, they appear in the
    console, and they end up in saved job specs like this one. An error: a real leak.

    ## Example
    ```json
    {"Environment": {"HF_TOKEN": "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"},
     "HyperParameters": {"max_depth": "5", "db_password": "Winter2026!churn"}}
    ```

    ## How to fix
    Rotate the credential: it has been exposed. Then store it in AWS Secrets Manager, pass
    only its name or ARN (for example `"HF_TOKEN_SECRET_ARN": "arn:aws:secretsmanager:..."`),
    and read it in the training code with the job's role; or give the role the permissions
    the credential stood for.
    """
    for name in SECRET_MAPS:
        if job.unknown(name):
            continue
        for key, value in job.mapping(name).items():
            if not isinstance(key, str) or key.endswith(".$") or not isinstance(value, str):
                continue
            if is_placeholder(value):  # a value the document does not know is never wrong
                continue
            key_kind = _by_shape(key)
            if key_kind is not None:  # a secret pasted as a key: show neither
                yield Violation(
                    pointer(name),
                    f"{name} has a key that looks like {key_kind} (key and value masked); "
                    "DescribeTrainingJob returns it in clear",
                )
                continue
            kind = _secret_kind(key, value)
            if kind is not None:
                yield Violation(
                    pointer(name, key),
                    f"{name}[{key!r}] looks like {kind} (value masked); DescribeTrainingJob "
                    "returns it in clear to anyone allowed to describe the job",
                )
