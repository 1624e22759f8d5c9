import json

import numpy as np
import pytest

from benchmarks.checkpoint import TableCheckpoint


def test_saved_tables_come_back_and_settings_must_match(tmp_path):
    path = tmp_path / "run.jsonl"
    settings = {"generators": ["gaussian_copula"], "full": False}
    first = TableCheckpoint(path, settings)
    assert first.load() == {}
    payload = {"record": {"tree_s": np.float64(0.5)}, "rows": [{"band": np.ones(3)}]}
    first.save("iris0", payload)
    first.save("zoo-3", {"record": {}, "rows": [{"det_auc": float("nan")}]})
    done = TableCheckpoint(path, dict(settings)).load()
    assert list(done) == ["iris0", "zoo-3"]
    assert done["iris0"] == {"record": {"tree_s": 0.5}, "rows": [{"band": [1.0] * 3}]}
    assert np.isnan(done["zoo-3"]["rows"][0]["det_auc"])
    with pytest.raises(ValueError, match="other settings"):
        TableCheckpoint(path, {**settings, "full": True}).load()


def test_no_path_keeps_nothing(tmp_path):
    checkpoint = TableCheckpoint(None, {"a": 1})
    checkpoint.save("iris0", {"rows": []})
    assert checkpoint.load() == {} and list(tmp_path.iterdir()) == []


def test_a_table_is_read_back_instead_of_rerun(tmp_path, monkeypatch):
    from benchmarks import bench_generators_real as bench

    path = tmp_path / "run.jsonl"
    # wine_0 ships with scikit-learn: no bench extra needed
    args = {"datasets": ["wine_0"], "generators": ["gaussian_copula"]}
    first = bench.run(checkpoint=path, **args)
    assert len(path.read_text().splitlines()) == 1

    def must_not_run(*args, **kwargs):
        raise AssertionError("a checkpointed table was run again")

    monkeypatch.setattr(bench, "run_table", must_not_run)
    again = bench.run(checkpoint=path, **args)
    assert json.dumps(again["results"]) == json.dumps(first["results"])
