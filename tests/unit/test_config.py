"""The config file is validated at load with errors that name the key and say what to do."""

import pytest

from filters.errors import ConfigError
from gateway.config import load_config


def write(tmp_path, text):
    path = tmp_path / "redline.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_embedded_defaults():
    config = load_config(None)
    assert config.filters.limits.max_depth == 10
    assert config.filters.policy.default_action == "quarantine"


def test_values_are_read(tmp_path):
    config = load_config(write(tmp_path, "data_dir = '/srv/redline'\n[limits]\nmax_depth = 4\n"))
    assert config.general.data_dir == "/srv/redline"
    assert config.filters.limits.max_depth == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[limits]\nmax_depth = 'deep'\n", "config key limits.max_depth: expected an integer, got 'deep'"),
        ("[limits]\nmax_depht = 3\n", "config key limits.max_depht: unknown key"),
        ("[limits]\nmax_depth = 0\n", "config key limits.max_depth: must be at least 1"),
        ("[smtpp]\nlisten = 'x'\n", "config key smtpp: unknown section"),
        ("data_dirr = 'x'\n", "config key data_dirr: unknown key"),
        ("[rules]\nextra = 'org.toml'\n", "config key rules.extra: expected a list"),
        ("[limits\n", "not valid TOML"),
        ("[http]\npiece_services = ['https://drive.example']\n",
         "config key http.piece_services[0]: expected a host name"),
        ("[http]\npiece_services = ['upload.box.com=box']\n",
         "or host=google or host=graph, got 'upload.box.com=box'"),
        ("[http]\npiece_idle_seconds = 0\n", "config key http.piece_idle_seconds: must be at least 1"),
    ],
)
def test_bad_config_names_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert message in str(info.value)


def test_missing_file_says_so(tmp_path):
    with pytest.raises(ConfigError, match="cannot read it"):
        load_config(tmp_path / "absent.toml")


def test_example_config_documents_every_key_and_loads():
    import tomllib
    from pathlib import Path

    from gateway.config import Config, example_config

    shipped = Path(__file__).resolve().parents[2] / "deploy" / "redline.example.toml"
    assert shipped.read_text(encoding="utf-8") == example_config(), (
        "deploy/redline.example.toml is out of date: run `redline config example > "
        "deploy/redline.example.toml`"
    )
    config = Config.from_mapping(tomllib.loads(example_config()))
    assert config == load_config(None)


def test_the_workers_run_on_uvloop_unless_asyncio_is_chosen(tmp_path):
    from gateway.supervisor import check_event_loop, run_loop

    assert load_config(None).section("serve").event_loop == "uvloop"
    path = tmp_path / "redline.toml"
    path.write_text('[serve]\nevent_loop = "asyncio"\n')
    assert load_config(str(path)).section("serve").event_loop == "asyncio"
    path.write_text('[serve]\nevent_loop = "trio"\n')
    with pytest.raises(ConfigError, match=r"serve\.event_loop"):
        load_config(str(path))

    async def loop_class() -> str:
        import asyncio

        return type(asyncio.get_running_loop()).__module__

    assert run_loop(loop_class(), "uvloop").startswith("uvloop")
    assert run_loop(loop_class(), "asyncio").startswith("asyncio")
    check_event_loop("uvloop")  # installed by scripts/setup.sh: no error


def test_uvloop_missing_is_refused_naming_the_key_and_the_way_out(monkeypatch):
    import sys

    from gateway.supervisor import check_event_loop

    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    with pytest.raises(ConfigError, match=r'serve.event_loop: uvloop cannot be loaded .*'
                                          r'scripts/setup.sh.*event_loop = "asyncio"'):
        check_event_loop("uvloop")
    check_event_loop("asyncio")


def test_every_section_names_its_class_and_a_scan_imports_only_the_inspection_ones():
    import dataclasses
    import subprocess
    import sys

    from gateway.config import SECTIONS, section_class

    for name in SECTIONS:
        assert dataclasses.is_dataclass(section_class(name)), name
    # A section the file has is validated when the file is read; the others, when read.
    loaded = load_config(None)
    assert dict(loaded.sections).keys() == SECTIONS.keys()
    code = ("import sys\nfrom gateway.config import load_config\n"
            "load_config(None).filters\n"
            "print(sorted(m for m in sys.modules if m.startswith(('gateway.', 'quarantine'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['gateway.config']"
