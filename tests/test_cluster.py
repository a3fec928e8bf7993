"""`[cluster]`: the project file's section, the executor seam, and the same answers through Ray.

The Ray tests skip where the `[ray]` extra is not installed; the rest run everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mathteam.cli import main
from mathteam.domains.magma.implication_matrix import UNKNOWN
from mathteam.domains.magma.laws import enumerate_laws
from mathteam.project import load_project
from mathteam.tools import bulk_reader, cluster
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig
from mathteam.tools.bulk_provers import stream
from mathteam.tools.cluster import ClusterSettings, LocalExecutors, RayExecutors, executors_for
from mathteam.tools.eprover import find_eprover
from helpers import project_text

needs_ray = pytest.mark.skipif(not cluster.ray_installed(),
                               reason="ray is not installed (the optional extra: pip install -e '.[ray]')")
needs_e = pytest.mark.skipif(find_eprover() is None, reason="the E prover is not installed")


def cluster_project(write_project, body: str) -> Path:
    return write_project(project_text() + "\n[cluster]\n" + body + "\n")


# ------------------------------------------------------------------ the project file


@needs_ray
def test_a_cluster_section_is_read_into_the_engines_settings(write_project):
    from mathteam.agents.magma.bulk import engine_config

    path = cluster_project(write_project, 'backend = "ray"\naddress = "local"\nnum_cpus = 2')
    project = load_project(path)
    assert project.config.cluster == ClusterSettings(backend="ray", address="local", num_cpus=2)
    assert engine_config(project).cluster == project.config.cluster
    remote = load_project(cluster_project(write_project, 'backend = "ray"\naddress = "ray://head.example:10001"'))
    assert remote.config.cluster.address == "ray://head.example:10001"


def test_without_a_cluster_section_the_engine_runs_local_pools(write_project):
    from mathteam.agents.magma.bulk import engine_config

    project = load_project(write_project(project_text()))
    assert project.config.cluster is None
    config = engine_config(project)
    executors = executors_for(config.cluster, config.workers)
    assert isinstance(executors, LocalExecutors) and executors.slots == config.workers


BROKEN_CLUSTER = {
    "bad address": ('backend = "ray"\naddress = "10.0.0.1"',
                    '[cluster] address: expected "local", "auto" or "ray://host:port", got \'10.0.0.1\''),
    "bad port": ('backend = "ray"\naddress = "ray://head:99999"', "[cluster] address: expected"),
    "num_cpus with a running cluster": ('backend = "ray"\naddress = "auto"\nnum_cpus = 4',
                                        '[cluster] num_cpus: only for address = "local"'),
    "zero cpus": ('backend = "ray"\nnum_cpus = 0', "[cluster] num_cpus: Input should be greater than or equal to 1"),
    "unknown backend": ('backend = "dask"', "[cluster] backend: Input should be 'ray'"),
    "unknown key": ('backend = "ray"\nnodes = 3', "[cluster] nodes: unknown field (expected one of: backend, address"),
    "no backend": ('address = "local"', "[cluster] backend: missing"),
}


@needs_ray
@pytest.mark.parametrize("kind", BROKEN_CLUSTER)
def test_a_bad_cluster_section_is_one_line_and_exit_2(kind, write_project, capsys):
    body, expected = BROKEN_CLUSTER[kind]
    path = cluster_project(write_project, body)
    code = main(["status", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"Error: {path}: ") and expected in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_asking_for_ray_without_ray_installed_is_one_line_naming_the_extra(write_project, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "ray_installed", lambda: False)
    path = cluster_project(write_project, 'backend = "ray"\naddress = "local"')
    code = main(["run", "--quiet", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "[cluster] backend: backend 'ray' needs the ray package, which is not installed" in err
    assert "pip install -e '.[ray]'" in err


def test_the_core_install_never_imports_ray(write_project):
    """Loading a project and building its engine (no [cluster]) leaves ray unimported."""
    path = write_project(project_text())
    code = ("import sys\n"
            "from mathteam.project import load_project\n"
            "from mathteam.agents.magma.bulk import open_engine\n"
            "import mathteam.cli, mathteam.tools.bulk_engine, mathteam.tools.bulk_provers\n"
            f"engine = open_engine(load_project({str(path)!r}))\n"
            "print(type(engine.executors).__name__, 'ray' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["LocalExecutors", "False"]


# ------------------------------------------------------------------ Ray: retries, same answers

LOCAL_RAY = ClusterSettings(backend="ray", address="local", num_cpus=2) if cluster.ray_installed() else None


@pytest.fixture(scope="module")
def ray_session():
    yield RayExecutors(LOCAL_RAY)
    cluster.shutdown()


def crash_once(marker_dir: str, a: int, b: int) -> tuple[int, int, int]:
    """A job whose worker dies the first time it runs pair (0, 1); returns the pair and its pid."""
    attempts = len([name for name in os.listdir(marker_dir) if name.startswith(f"{a}-{b}-")])
    Path(marker_dir, f"{a}-{b}-{attempts}").touch()
    if (a, b) == (0, 1) and attempts == 0:
        os._exit(1)  # the worker process is lost, as when a node goes away
    return a, b, os.getpid()


@needs_ray
def test_a_lost_workers_task_is_retried_and_its_result_delivered_once(ray_session, tmp_path):
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    pairs = [(0, 1), (1, 2), (2, 3), (3, 4)]
    delivered = list(stream(ray_session.computing, lambda pool, a, b: pool.submit(crash_once, str(tmp_path), a, b),
                            pairs, lambda a, b: True, ray_session.slots))
    assert sorted(pair for pair, _ in delivered) == pairs  # each pair once, the lost one included
    assert all(result[:2] == pair for pair, result in delivered)
    runs = sorted(name.rsplit("-", 1)[0] for name in os.listdir(tmp_path))
    assert runs.count("0-1") == 2 and runs.count("1-2") == 1  # the lost task ran twice, others once


LAWS = enumerate_laws(2)  # laws 1–46: 2,070 ordered pairs
CONFIG = EngineConfig(e_seconds=(1.0,), search_pairs_per_level=20)


@needs_ray
@needs_e
def test_laws_1_to_46_through_local_ray_get_the_same_answers_pair_for_pair(ray_session, tmp_path):
    plain = BulkEngine(LAWS, tmp_path / "plain", CONFIG, cache_dir=tmp_path / "plain-cache")
    plain_summary = plain.run()
    through_ray = BulkEngine(LAWS, tmp_path / "ray", CONFIG.model_copy(update={"cluster": LOCAL_RAY}),
                             cache_dir=tmp_path / "ray-cache")
    ray_summary = through_ray.run()
    assert isinstance(through_ray.executors, RayExecutors) and through_ray.executors.slots == 2
    assert ray_summary["counts"] == plain_summary["counts"] and ray_summary["counts"]["unknown"] == 0
    differing = np.argwhere(through_ray.matrix.state != plain.matrix.state)
    assert differing.tolist() == []
    # The satisfaction shards computed by Ray tasks are the local pool's, bit for bit.
    assert np.array_equal(through_ray.log.sat_rows(range(3)), plain.log.sat_rows(range(3)))
    refutations = bulk_reader.check_refutations(through_ray.matrix, through_ray.log, LAWS)
    proofs = bulk_reader.check_proofs(through_ray.matrix, through_ray.log, LAWS, chains=200)
    assert refutations["failed"] == 0 and proofs["direct_failed"] == 0 and proofs["chains_failed"] == 0
    # Every direct proof and attempt is logged once: no pair twice under one tool and effort.
    attempts = [(a["a"], a["b"], a["tool"], a["effort"]) for a in through_ray.log.attempts]
    assert len(attempts) == len(set(attempts))
    direct = [(p["a"], p["b"]) for p in through_ray.log.proofs]
    assert len(direct) == len(set(direct))
    assert (through_ray.matrix.state != UNKNOWN).all()


@needs_ray
@needs_e
def test_a_run_begun_locally_resumes_through_ray_from_its_log(ray_session, tmp_path):
    """The driver keeps the log, so a killed local run can go on as a Ray run and vice versa."""
    first = BulkEngine(LAWS, tmp_path, EngineConfig(e_seconds=()), cache_dir=tmp_path / "cache")
    first.refute_with_families()
    refuted = first.matrix.counts()["false"]
    resumed = BulkEngine(LAWS, tmp_path, CONFIG.model_copy(update={"cluster": LOCAL_RAY}), cache_dir=tmp_path / "cache")
    assert resumed.matrix.counts()["false"] == refuted
    magmas_before = len(resumed.log.magmas)
    summary = resumed.run()
    assert summary["counts"]["unknown"] == 0
    assert len(resumed.log.magmas) >= magmas_before and resumed.log.marks.get("small_magmas")
