"""The binomial and hypergeometric distributions without scipy.stats (analysis/discrete.py): every value equal to
``scipy.stats``' own (scipy 1.17), compared for equality, and a small survey's analysis never imports scipy.stats.

References: ``stats.binomtest(k, n, 0.5).pvalue``, ``stats.binom.pmf/cdf/sf(k, n, p)``,
``stats.hypergeom.pmf/cdf/sf(k, M, n, N)``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from slutrapport.analysis import discrete
from tests.conftest import ROOT


def test_binomial_test_equals_scipy_for_every_count():
    for n in range(1, 90):
        for k in range(n + 1):
            assert discrete.binomtest_p(k, n, 0.5) == stats.binomtest(k, n, 0.5).pvalue, (k, n)  # scipy: stats.binomtest(k, n, 0.5)
    for k, n, p in [(3, 20, 0.3), (9, 20, 0.3), (0, 5, 0.9), (5, 5, 0.9), (6, 20, 0.3)]:  # not symmetric: both tails searched
        assert discrete.binomtest_p(k, n, p) == stats.binomtest(k, n, p).pvalue


@pytest.mark.parametrize("point", ["pmf", "cdf", "sf"])
def test_binomial_and_hypergeometric_equal_scipy_inside_and_outside_the_support(point):
    ks = np.arange(-3, 70)
    for n in (0, 1, 2, 7, 30, 64):
        for p in (0.0, 0.3, 0.5, 1.0):
            assert np.array_equal(discrete.binom(point, ks, n, p), getattr(stats.binom, point)(ks, n, p))
    assert discrete.binom(point, 2.5, 6, 0.5) == getattr(stats.binom, point)(2.5, 6, 0.5)  # a point between whole numbers
    rng = np.random.default_rng(4)
    total = rng.integers(1, 400, 500)
    good, drawn = rng.integers(0, total + 1), rng.integers(0, total + 1)
    for k in (rng.integers(-2, total + 3), np.zeros(500, dtype=np.int64), np.minimum(good, drawn)):
        assert np.array_equal(discrete.hypergeom(point, k, total, good, drawn), getattr(stats.hypergeom, point)(k, total, good, drawn))


def test_without_scipy_special_private_functions_scipy_stats_is_used(monkeypatch):
    monkeypatch.setattr(discrete, "_UFUNCS", False)
    assert discrete.binomtest_p(2, 11, 0.5) == stats.binomtest(2, 11, 0.5).pvalue
    assert discrete.hypergeom("cdf", 3, 20, 7, 12) == stats.hypergeom.cdf(3, 20, 7, 12)


_PROBE = """
import json, sys
from slutrapport.analysis.survey import analyse_survey
from slutrapport.sources.survey import load_instrument, read_waves
folder = sys.argv[1]
waves = [folder + "/enkat1_google_forms.csv", folder + "/enkat2_microsoft_forms.xlsx", folder + "/enkat3.csv"]
results = analyse_survey(read_waves(waves, load_instrument("samverkan")), 5)
tests = sorted(set(results.changes["test"].dropna()))
print(json.dumps(["scipy.stats" in sys.modules, tests]))
"""


def test_a_small_surveys_analysis_imports_no_scipy_stats():
    # the bundled waves have small groups: McNemar's exact test and Fisher's test are met, from .discrete
    done = subprocess.run([sys.executable, "-c", _PROBE, str(ROOT / "data_samples" / "enkater")], capture_output=True, text=True, check=True)
    imported, tests = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"mcnemar", "fisher"} <= set(tests)
    assert imported is False
