"""deploy/ is valid: YAML parses, promtool accepts rules and config, dashboards and alerts use only
metrics gateway/ops/metrics.py defines, the systemd unit verifies, Postfix accepts the snippets,
and the shipped Redline configs load."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import require_peer

from gateway.config import Config
from gateway.ops import metrics

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "redline-dashboard.json"
# Series Prometheus itself provides, which alerts may use beside Redline's.
PROMETHEUS_SERIES = {"up"}
METRIC = re.compile(r"\b(redline_[a-z0-9_]+|up)\b")


def yaml_documents(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def alert_rules() -> list[dict]:
    return [rule for group in yaml_documents(ALERTS)[0]["groups"] for rule in group["rules"]]


def test_every_yaml_file_under_deploy_parses():
    files = sorted(DEPLOY.rglob("*.yml")) + sorted(DEPLOY.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        assert yaml_documents(path), f"{path} is empty"


def test_kubernetes_manifests_run_several_nodes_with_probes_and_requests():
    docs = [d for p in sorted((DEPLOY / "kubernetes").glob("*.yaml")) for d in yaml_documents(p)]
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget"} <= kinds
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] >= 2
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    kustomization = yaml_documents(DEPLOY / "kubernetes" / "kustomization.yaml")[0]
    listed = {p.name for p in (DEPLOY / "kubernetes").glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == listed
    configmap = next(d for d in docs if d["kind"] == "ConfigMap")
    config = Config.from_mapping(tomllib.loads(configmap["data"]["redline.toml"]))
    assert config.section("quarantine").backend == "postgres"  # nodes share the store
    # ... and so the keys that seal held content, and the HTTPS interception CA (clients
    # trust one): one Secret mounted in every pod, never a key each pod makes itself.
    mounts = {Path(m["mountPath"]): m["name"] for m in container["volumeMounts"]}
    http = config.section("http")
    for named in (Path(config.section("quarantine").content_key_file), Path(http.ca_cert),
                  Path(http.ca_key)):
        volume = next(v for v in deployment["spec"]["template"]["spec"]["volumes"]
                      if v["name"] == mounts[named.parent])
        secret = next(d for d in docs if d["kind"] == "Secret"
                      and d["metadata"]["name"] == volume["secret"]["secretName"])
        (item,) = [i for i in volume["secret"]["items"] if i["path"] == named.name]
        assert item["key"] in secret["stringData"]
        assert not named.is_relative_to(config.general.data_dir)


def test_compose_wires_redline_postfix_squid_prometheus_grafana():
    compose = yaml_documents(DEPLOY / "compose" / "compose.yaml")[0]
    services = compose["services"]
    assert {"redline", "postfix", "squid", "prometheus", "grafana"} <= set(services)
    for name, service in services.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
    for service in services.values():  # every file compose mounts exists
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / "compose" / source).resolve().exists(), source
    config = Config.from_mapping(tomllib.loads((DEPLOY / "compose" / "redline.toml").read_text()))
    assert config.section("upstream").address == "postfix:10026"

    # HTTPS built in: a one-shot service makes the interception CA on Redline's data
    # volume before Redline starts, where the config (no ca_cert) looks for it.
    ca_init = services["redline-ca"]
    assert "tls ca init" in " ".join(ca_init["command"])
    assert "test -e /var/lib/redline/tls/interception-ca.key" in " ".join(ca_init["command"])
    data_volume = next(v for v in services["redline"]["volumes"] if v.endswith(":/var/lib/redline"))
    assert data_volume in ca_init["volumes"]
    assert str(config.general.data_dir) == "/var/lib/redline" and not config.section("http").ca_cert
    assert services["redline"]["depends_on"]["redline-ca"]["condition"] == \
        "service_completed_successfully"
    assert "127.0.0.1:3128:3128" in services["redline"]["ports"]


def test_dashboard_and_alerts_use_only_metrics_redline_defines():
    defined = metrics.metric_names() | PROMETHEUS_SERIES
    queries = dashboard_queries()
    expressions = [rule["expr"] for rule in alert_rules()]
    assert len(queries) >= 15 and len(expressions) >= 5
    for expr in queries + expressions:
        used = set(METRIC.findall(expr))
        assert used, f"no Redline metric in {expr!r}"
        assert used <= defined, f"{expr!r} uses undefined {sorted(used - defined)}"


def test_alerts_cover_backlog_relay_rules_latency_and_instance_down():
    text = " ".join(rule["expr"] for rule in alert_rules())
    for needed in ("redline_quarantine_oldest_pending_age_seconds", "redline_relay_attempts_total",
                   "redline_rules_last_reload_failed", "redline_scan_duration_seconds_bucket", "up"):
        assert needed in METRIC.findall(text), needed
    for rule in alert_rules():
        assert rule["annotations"]["summary"] and rule["labels"]["severity"] in ("warning", "critical")


def promtool() -> str:
    path = shutil.which("promtool")
    require_peer(None if path else "promtool not found: apt-get install prometheus")
    return path


def test_promtool_accepts_the_alert_rules_and_the_scrape_config():
    tool = promtool()
    rules = subprocess.run([tool, "check", "rules", str(ALERTS)], capture_output=True, text=True,
                           timeout=30)
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in rules.stdout
    config = subprocess.run([tool, "check", "config", str(DEPLOY / "prometheus" / "prometheus.yml")],
                            capture_output=True, text=True, timeout=30)
    assert config.returncode == 0, config.stdout + config.stderr


def test_promtool_parses_every_dashboard_query(tmp_path):
    # Each query as a recording rule: promtool then parses it as PromQL.
    tool = promtool()
    rules = [{"record": f"redline:dashboard_query_{i}", "expr": expr}
             for i, expr in enumerate(dashboard_queries())]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = subprocess.run([tool, "check", "rules", str(path)], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


def test_systemd_unit_verifies_with_sandboxing_and_reload(tmp_path):
    analyze = shutil.which("systemd-analyze")
    require_peer(None if analyze else "systemd-analyze not found: apt-get install systemd")
    unit = (DEPLOY / "systemd" / "redline.service").read_text()
    for needed in ("DynamicUser=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/redline",
                   "NoNewPrivileges=yes", "ExecReload=/bin/kill -HUP $MAINPID"):
        assert needed in unit
    # verify checks that ExecStart exists: point it at this checkout's redline.
    redline = shutil.which("redline") or str(Path(__file__).resolve().parents[2] / ".venv/bin/redline")
    copy = tmp_path / "redline.service"
    copy.write_text(unit.replace("/opt/redline/.venv/bin/redline", redline))
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_postfix_accepts_the_snippets_without_unknown_parameters(tmp_path):
    postconf = shutil.which("postconf") or "/usr/sbin/postconf"
    debian = Path("/usr/share/postfix/main.cf.debian")
    require_peer(None if Path(postconf).exists() and debian.exists()
                 else "Postfix not installed: apt-get install postfix (No configuration)")
    main = debian.read_text() + "\n" + (DEPLOY / "postfix" / "main.cf.snippet").read_text()
    master_dist = Path("/usr/share/postfix/master.cf.dist")
    master = master_dist.read_text() if master_dist.exists() else Path("/etc/postfix/master.cf").read_text()
    master += "\n" + (DEPLOY / "postfix" / "master.cf.snippet").read_text()
    (tmp_path / "main.cf").write_text(main)
    (tmp_path / "master.cf").write_text(master)
    result = subprocess.run([postconf, "-c", str(tmp_path), "-n"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert "unused parameter" not in result.stderr, result.stderr
    assert "content_filter = redline:[127.0.0.1]:2525" in result.stdout
    services = subprocess.run([postconf, "-c", str(tmp_path), "-M"], capture_output=True, text=True,
                              timeout=30)
    assert services.returncode == 0, services.stderr
    assert re.search(r"^redline\s+unix\b", services.stdout, re.M)
    assert re.search(r"^127\.0\.0\.1:10026\s+inet\b", services.stdout, re.M)


@pytest.mark.parametrize("name", ["Dockerfile"])
def test_container_image_is_multi_stage_non_root_with_libmagic(name):
    text = (DEPLOY / "container" / name).read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2
    assert "libmagic1" in text.split("AS runtime", 1)[1]
    assert re.search(r"^USER (?!root|0)", text, re.M)
    for source in re.findall(r"^COPY (?!--from)(\S+)", text, re.M):
        root = DEPLOY.parent
        assert (root / source).exists(), f"Dockerfile copies missing {source}"
