"""Configuration: file over defaults, flags over file, `config show`, and its effect on a scan."""

from __future__ import annotations

import json

import pytest

from markcheck.config_file import ConfigError, load_config, override, render
from markcheck.outputs import OutputError, Target, plan


def test_defaults_without_a_file(tmp_path):
    config = load_config(start=tmp_path)
    assert config.file is None
    assert config["role"] == "provider" and config.sources["role"] == "default"


def test_markcheck_toml_overrides_defaults_and_flags_override_it(tmp_path):
    (tmp_path / "markcheck.toml").write_text(
        'role = "platform"\nfail_on = ["noncompliant", "needs_review"]\njobs = 1\n'
        'waivers = "w.yaml"\nrules = ["eu-ai-act-art50", "mine.yaml"]\n'
        '[thresholds."cn.explicit.size"]\nmin_ratio = 0.06\n'
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(start=nested)  # found from a subfolder
    assert config.file == tmp_path / "markcheck.toml"
    assert config["role"] == "platform" and config.sources["role"] == str(config.file)
    assert config["waivers"] == str(tmp_path / "w.yaml")  # relative to the file
    assert config["rules"] == ["eu-ai-act-art50", str(tmp_path / "mine.yaml")]
    assert config["thresholds"] == {"cn.explicit.size": {"min_ratio": 0.06}}
    override(config, {"role": "provider", "jobs": None, "fail_on": []})
    assert config["role"] == "provider" and config.sources["role"] == "command line"
    assert config["jobs"] == 1 and config["fail_on"] == ["noncompliant", "needs_review"]


def test_pyproject_tool_table_and_markcheck_toml_precedence(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n[tool.markcheck]\njobs = 3\n')
    assert load_config(start=tmp_path)["jobs"] == 3
    (tmp_path / "markcheck.toml").write_text("jobs = 4\n")
    assert load_config(start=tmp_path)["jobs"] == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('rolle = "provider"\n', "unknown keys"),
        ('role = "reader"\n', "role must be"),
        ("jobs = -1\n", "jobs must be"),
        ('fail_on = ["sometimes"]\n', "fail_on values"),
        ("role = \n", "cannot read"),
    ],
)
def test_bad_configuration_is_an_error(tmp_path, text, message):
    (tmp_path / "markcheck.toml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(start=tmp_path)


def test_render_names_each_source(tmp_path):
    (tmp_path / "markcheck.toml").write_text('role = "platform"\n')
    text = render(override(load_config(start=tmp_path), {"assume_ai": True}))
    assert f'role = "platform"  # {tmp_path / "markcheck.toml"}' in text
    assert "assume_ai = true  # command line" in text
    assert "jobs is unset  # default" in text


def test_output_plan(tmp_path):
    report = tmp_path / "r.json"
    assert plan(["table", "json"], report, None) == [Target("table", None), Target("json", report)]
    assert plan(["html"], None, tmp_path) == [Target("html", tmp_path / "markcheck.html")]
    assert plan(["table", "sarif"], None, tmp_path) == [
        Target("table", tmp_path / "markcheck.txt"),
        Target("sarif", tmp_path / "markcheck.sarif"),
        Target("table", None),  # also shown
    ]
    assert plan([], None, None) == [Target("table", None)]
    with pytest.raises(OutputError, match="output-dir"):
        plan(["json", "sarif"], report, None)
    with pytest.raises(OutputError, match="only one format"):
        plan(["table", "json"], None, None)


def test_config_file_steers_a_scan_and_flags_win(tmp_path, make_png, cli):
    make_png("media/keep/a.png", {"parameters": "a cat, Steps: 20"})
    make_png("media/drafts/b.png", {"parameters": "a dog, Steps: 20"})
    (tmp_path / "markcheck.toml").write_text(
        'select = ["cn.implicit"]\nexclude = ["drafts/*"]\nfail_on = ["error"]\n'
        'format = ["json"]\noutput_dir = "out"\n'
    )
    proc = cli("scan", "media", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr  # noncompliant does not fail: fail_on = error
    report = json.loads((tmp_path / "out" / "markcheck.json").read_text())
    assert [f["path"] for f in report["files"]] == ["keep/a.png"]
    assert report["files"][0]["status"] == "noncompliant"
    proc = cli("scan", "media", "--fail-on", "noncompliant", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    shown = cli("config", "show", cwd=tmp_path)
    assert shown.returncode == 0 and 'exclude = ["drafts/*"]' in shown.stdout


def test_several_formats_in_one_run(tmp_path, make_png, cli):
    make_png("media/a.png", {"parameters": "a cat, Steps: 20"})
    out = tmp_path / "report.json"
    proc = cli("scan", str(tmp_path / "media"), "--select", "cn.implicit",
               "-f", "table", "-f", "json", "-o", str(out))  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "noncompliant" in proc.stdout and "a.png" in proc.stdout
    assert json.loads(out.read_text())["files"][0]["path"] == "a.png"
    every = tmp_path / "every"
    formats = [x for f in ("table", "json", "html", "sarif", "junit") for x in ("-f", f)]
    proc = cli("scan", str(tmp_path / "media"), "--select", "cn.implicit", "--output-dir",
               str(every), *formats)  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in every.iterdir()) == [
        "markcheck.html", "markcheck.json", "markcheck.sarif", "markcheck.txt", "markcheck.xml"
    ]  # fmt: skip
    bad = cli("scan", str(tmp_path / "media"), "-f", "json", "-f", "sarif", "-o", str(out))
    assert bad.returncode == 2 and "--output-dir" in bad.stderr


def test_threshold_override_changes_a_real_judgement(tmp_path, cli):
    from label_builders import photo, render_label

    picture, _ = render_label(photo("coffee", (1280, 720)), ratio=0.065)
    (tmp_path / "media").mkdir()
    picture.save(tmp_path / "media" / "label.jpg", quality=90)
    args = ("scan", "media", "--assume-ai", "--select", "cn.explicit.size", "-f", "json")
    default = json.loads(cli(*args, cwd=tmp_path).stdout)["files"][0]
    assert default["findings"][0]["outcome"] == "pass"  # about 6 % >= the pack's 5 %
    (tmp_path / "markcheck.toml").write_text('[thresholds."cn.explicit.size"]\nmin_ratio = 0.08\n')
    stricter = json.loads(cli(*args, cwd=tmp_path).stdout)["files"][0]
    size = stricter["findings"][0]
    assert size["outcome"] == "fail" and "8.0%" in size["message"], size
    (tmp_path / "markcheck.toml").write_text('[thresholds."cn.explicit.size"]\nmin_rato = 0.07\n')
    typo = cli(*args, cwd=tmp_path)
    assert typo.returncode == 2 and "unknown parameter 'min_rato'" in typo.stderr
    (tmp_path / "markcheck.toml").write_text('[thresholds."cn.explicit.sise"]\nmin_ratio = 0.07\n')
    assert "no rule 'cn.explicit.sise'" in cli(*args, cwd=tmp_path).stderr
