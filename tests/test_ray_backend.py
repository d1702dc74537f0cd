"""The Ray backend on a real local Ray cluster (ray.init in the test), reading from moto S3."""

from __future__ import annotations

import json
import signal
import sys

import pytest
import ray

from conftest import run_cli
from markcheck import scan
from markcheck.backends.ray_backend import run_ray, runtime_env
from markcheck.reports.json_report import report, validate
from markcheck.scan_options import Budget
from test_executor import behave, candidates, error
from test_remote import assert_same_as_local, bucket  # noqa: F401 - the fixture


@pytest.fixture(scope="module")
def cluster(s3):  # started after the S3 environment, so workers inherit it
    # The stand-ins below live in test modules the workers cannot import: sent by value.
    for module in ("test_executor", __name__):
        ray.cloudpickle.register_pickle_by_value(sys.modules[module])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env=runtime_env())
    yield
    ray.shutdown()


def test_crash_timeout_and_memory_on_ray_are_per_file_errors(cluster):
    names = ["a", "sleep", "b", "crash", "c", "hog", "d"]
    got = list(
        run_ray(candidates(*names), behave, error, [], None, 2, Budget(timeout_s=3, memory_mb=300))
    )
    assert [i for i, _ in got] == list(range(len(names)))  # input order
    by_name = {r.path: r for _, r in got}
    assert by_name["sleep"].error.type == "timeout"
    assert by_name["crash"].error.type == "crashed"
    assert by_name["hog"].error.type == "memory"
    assert "300 MB" in by_name["hog"].error.message
    assert {n: by_name[n].status for n in "abcd"} == dict.fromkeys("abcd", "compliant"), {
        n: by_name[n].error for n in "abcd"
    }
    assert signal.SIGSEGV  # the crash above is a real SIGSEGV in the actor's process


def test_work_runs_in_ray_worker_processes(cluster):
    got = list(run_ray(candidates(*"abcdef"), behave, error, [], None, 2, Budget()))
    pids = {r.notes[0] for _, r in got}
    assert 1 <= len(pids) <= 2 and f"pid {__import__('os').getpid()}" not in pids


def test_s3_scan_on_ray_matches_a_local_scan(cluster, bucket):  # noqa: F811 - the fixture
    local, url = bucket
    on_ray = json.loads(report(scan([url], backend="ray", jobs=2)))
    here = json.loads(report(scan([url])))  # same URLs, local in-process
    validate(on_ray)
    # The audit record says when and how each scan ran (times, jobs, backend): all else is
    # byte-identical JSON, same paths, same everything.
    on_ray.pop("audit"), here.pop("audit")
    assert on_ray == here
    assert_same_as_local(on_ray, json.loads(report(scan([local]))))


def test_cli_joins_the_running_cluster(cluster, bucket):  # noqa: F811 - the fixture
    _, url = bucket
    done = run_cli(
        "scan", url, "--backend", "ray", "--ray-address", "auto", "--select", "cn.implicit",
        "-f", "json",
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    assert {f["path"].rsplit("/", 1)[-1] for f in document["files"]} == {
        "big.mp4",
        "labelled.png",
        "photo.jpg",
        "plain.png",
    }
