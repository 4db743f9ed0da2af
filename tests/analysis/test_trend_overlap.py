"""Partly linked waves (partially overlapping samples tests) and the trend across three or more waves.

References: R's own output for the generated three-wave data set (R 4.2.2,
lme4 1.1.31, Partiallyoverlapping 2.0; the script and its printed output are
quoted in :func:`test_partly_linked_test_and_trend_equal_r_output`), a
line-by-line transcription of ``Partiallyoverlapping::Partover.test``
(checked against the example published with the package), the package's
published ``Prop.test`` example, statsmodels' ``MixedLM`` (the same REML fit
as ``lme4::lmer``), scipy's ``page_trend_test`` and a hand computation / full
enumeration for Jonckheere–Terpstra.
"""

from __future__ import annotations

import itertools
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from slutrapport.analysis.changes import wave_changes
from slutrapport.analysis.describe import compare_waves
from slutrapport.analysis.overlap import _partover_t, _partover_z
from slutrapport.analysis.trend import TREND_LINE_COLUMNS, _jonckheere, _page, _reml, trend_lines
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import write_csv

WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]


def _r_partover(x1, x2, x3, x4, var_equal=False):
    """Transcription of R's Partiallyoverlapping::Partover.test (version 2.0), two-sided, mu = 0:

    xbar1 <- mean(c(x1,x3)); xbar2 <- mean(c(x2,x4)); estimate <- xbar1 - xbar2
    n1 <- length(x1) + length(x3); n2 <- length(x2) + length(x4); n12 <- length(x3)
    if ((sd(x3)==0)|(sd(x4)==0)) {r<-0} else {r<-cor(x3,x4)}
    var.equal=TRUE:  spooled <- sqrt(((n1-1)*var(c(x1,x3)) + (n2-1)*var(c(x2,x4))) / (n1+n2-2))
                     denom <- spooled * sqrt(1/n1 + 1/n2 - 2*r*n12/(n1*n2))
                     parameter <- (n12-1) + ((length(x1)+length(x2)+n12-1)/(length(x1)+length(x2)+2*n12))*(length(x1)+length(x2))
    var.equal=FALSE: denom <- sqrt(var(c(x1,x3))/n1 + var(c(x2,x4))/n2 - 2*r*n12*sd(c(x1,x3))*sd(c(x2,x4))/(n1*n2))
                     welapprox <- (v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1))
                     parameter <- (n12-1) + ((welapprox-n12+1)/(length(x1)+length(x2)+2*n12))*(length(x1)+length(x2))
    p.value <- 2*pt(-abs(statistic), df=parameter); conf.int: estimate -/+ qt(0.975, parameter)*denom
    """
    a, b = np.concatenate([x1, x3]), np.concatenate([x2, x4])
    estimate = a.mean() - b.mean()
    n1, n2, n12 = len(a), len(b), len(x3)
    r = 0.0 if np.std(x3) == 0 or np.std(x4) == 0 else np.corrcoef(x3, x4)[0, 1]
    v1, v2 = np.var(a, ddof=1), np.var(b, ddof=1)
    unpaired = len(x1) + len(x2)
    if var_equal:
        pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        denom = pooled * math.sqrt(1 / n1 + 1 / n2 - 2 * r * n12 / (n1 * n2))
        df = (n12 - 1) + ((unpaired + n12 - 1) / (unpaired + 2 * n12)) * unpaired
    else:
        denom = math.sqrt(v1 / n1 + v2 / n2 - 2 * r * n12 * math.sqrt(v1) * math.sqrt(v2) / (n1 * n2))
        welch = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        df = (n12 - 1) + ((welch - n12 + 1) / (unpaired + 2 * n12)) * unpaired
    t = estimate / denom
    half = stats.t.ppf(0.975, df) * denom
    return t, df, 2 * stats.t.sf(abs(t), df), (estimate - half, estimate + half)


# The example of Derrick, Toher and White (2017), as in the package's documentation:
A_UNPAIRED, A_PAIRED = [20, 21, 16, 18, 14, 12, 14, 17], [14, 15, 18, 20, 11, 19, 14, 15]
B_UNPAIRED, B_PAIRED = [10, 16, 18, 16, 15, 14, 13, 10], [15, 10, 15, 17, 13, 19, 12, 13]


def test_the_transcription_gives_the_published_example():
    # R: Partover.test(a.unpaired, b.unpaired, a.paired, b.paired, var.equal = TRUE)  # p.value = 0.026 (published)
    _, _, p, _ = _r_partover(*map(np.array, (A_UNPAIRED, B_UNPAIRED, A_PAIRED, B_PAIRED)), var_equal=True)
    assert round(p, 3) == 0.026


def test_partover_t_matches_the_r_package_on_its_example():
    # R: Partover.test(a.unpaired, b.unpaired, a.paired, b.paired, conf.level = 0.95)  (var.equal = FALSE, T_new2)
    t, _, p, (low, high) = _r_partover(*map(np.array, (A_UNPAIRED, B_UNPAIRED, A_PAIRED, B_PAIRED)))
    # the later wave is "a": our statistic is later − earlier, as R's x1 − x2
    res = _partover_t(np.array(B_UNPAIRED), np.array(A_UNPAIRED), np.array(B_PAIRED), np.array(A_PAIRED))
    assert res.result.statistic == pytest.approx(t, abs=1e-6) and res.result.p == pytest.approx(p, abs=1e-4)
    assert (res.low, res.high) == pytest.approx((low, high), abs=1e-6)
    assert res.estimate == pytest.approx(np.mean(A_UNPAIRED + A_PAIRED) - np.mean(B_UNPAIRED + B_PAIRED))


def test_partover_z_gives_the_published_prop_test_example():
    # R (package documentation, Derrick, Dobson-McKittrick, Toher and White 2015):
    # a <- c(1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,1,1,1,1,1,0,0,0,0,NA,NA,NA,NA,NA,NA)
    # b <- c(1,1,1,1,1,1,1,1,0,1,1,1,0,0,0,NA,NA,NA,NA,NA,NA,NA,NA,NA,1,1,1,1,1,1)
    # Prop.test(a, b, stacked = TRUE, conf.level = .95)  # p.value = 0.053
    a_paired = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    b_paired = np.array([1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0], dtype=bool)
    a_alone = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)
    b_alone = np.ones(6, dtype=bool)
    res = _partover_z(b_alone, a_alone, b_paired, a_paired)
    assert round(res.result.p, 3) == 0.053
    assert res.estimate == pytest.approx(14 / 24 - 17 / 21)  # later (a) − earlier (b)


# ---------------------------------------------------------------- a survey with 40 % linked across three waves


def _generated(tmp_path: Path, mini_instrument: Path, seed: int = 18):
    """Three waves of 50 answers; 20 people (40 %) answer every wave under the same code, the other 30 answers of
    each wave come from different people (their own codes). Every question answered, so an index score is the
    mean of q1, q2 and 6 − q3. Returns the survey and the answers {wave: [(code, q1, q2, q3)]}."""
    rng = np.random.default_rng(seed)
    level = rng.normal(0, 0.7, 20)
    answers: dict[str, list[tuple[str, int, int, int]]] = {}
    paths = []
    for w, wave in enumerate(WAVES):
        people = [(f"p{i}", level[i]) for i in range(20)] + [(f"w{w}-{i}", rng.normal(0, 0.7)) for i in range(30)]
        rows, kept = [], []
        for i, (code, person) in enumerate(people):
            q = np.clip(np.rint(3 + person + 0.3 * w + rng.normal(0, 0.8, 3) * [1, 1, -1]), 1, 5).astype(int)
            rows.append(["AF" if i % 2 else "Soc", code, *q, ""])
            kept.append((code, *map(int, q)))
        answers[wave] = kept
        paths.append(write_csv(tmp_path / f"w{w}.csv", rows))
    return read_waves(paths, load_instrument(mini_instrument)), answers


def _index(row: tuple[str, int, int, int]) -> float:
    return (row[1] + row[2] + (6 - row[3])) / 3


@pytest.fixture
def generated(tmp_path, mini_instrument):
    survey, answers = _generated(tmp_path, mini_instrument)
    comparison = compare_waves(survey, 5)
    return survey, comparison, wave_changes(survey, comparison, 5), answers


def _row(table, test, niva="index", item="a", group="Alla", fran="Enkät 1", till="Enkät 3"):
    rows = table[(table["niva"] == niva) & (table["id"] == item) & (table["grupp"] == group) & (table["fran"] == fran)
                 & (table["till"] == till) & (table["test"] == test)]  # fmt: skip
    assert len(rows) == 1
    return rows.iloc[0]


def test_partly_linked_waves_use_every_answer(generated):
    _, _, table, answers = generated
    first, last = answers["Enkät 1"], answers["Enkät 3"]
    linked = {code for code, *_ in first} & {code for code, *_ in last}
    assert len(linked) == 20
    row = _row(table, "partover_t")
    # no answer left out: the test's n is every valid answer of each wave
    assert (row["n_fran"], row["n_till"], row["n_par"], bool(row["parad"])) == (50, 50, 20, False)
    by_code = [{code: _index(r) for r in rows for code in [r[0]]} for rows in (first, last)]
    pairs = sorted(linked)
    x3 = np.array([by_code[1][c] for c in pairs])  # later wave, paired (R's x3: sample 1)
    x4 = np.array([by_code[0][c] for c in pairs])
    x1 = np.array([v for c, v in by_code[1].items() if c not in linked])
    x2 = np.array([v for c, v in by_code[0].items() if c not in linked])
    # R: Partover.test(x1 = later unpaired, x2 = earlier unpaired, x3 = later paired, x4 = earlier paired, conf.level = 0.95)
    t, _, p, (low, high) = _r_partover(x1, x2, x3, x4)
    assert row["statistika"] == pytest.approx(t, abs=1e-6) and row["p_unc"] == pytest.approx(p, abs=1e-4)
    assert (row["diff_medel_lag"], row["diff_medel_hog"]) == pytest.approx((low, high), abs=1e-6)
    assert row["diff_medel"] == pytest.approx(np.mean([*x1, *x3]) - np.mean([*x2, *x4]), abs=1e-9)
    assert row["effekt"] == pytest.approx(t / math.sqrt(t * t + _r_partover(x1, x2, x3, x4)[1]), abs=1e-9)
    assert row["familj"] == "primär"
    share = _row(table, "partover_z")
    assert (share["n_fran"], share["n_till"], share["n_par"]) == (50, 50, 20)


def test_mixed_model_trend_matches_statsmodels(generated):
    from statsmodels.regression.mixed_linear_model import MixedLM

    survey, comparison, table, answers = generated
    row = _row(table, "trend_lmm")
    y = np.array([_index(r) for wave in WAVES for r in answers[wave]])
    x = np.array([float(w) for w, wave in enumerate(WAVES) for _ in answers[wave]])
    codes = np.array([r[0] for wave in WAVES for r in answers[wave]])
    assert (row["n_fran"], row["n_till"], row["n_par"]) == (50, 50, 20) and len(y) == 150  # every answer in the model
    # R: lme4::lmer(index ~ vag + (1 | kod), REML = TRUE); here its twin, statsmodels' REML fit, converged tightly
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = MixedLM(y, np.column_stack([np.ones_like(x), x]), groups=codes).fit(reml=True, method="nm", maxiter=20000, xtol=1e-12, ftol=1e-14)
    # The variance estimates are statsmodels'; the covariance of the coefficients is lme4's vcov(), conditional on
    # them: sigma^2 (X' V^-1 X)^-1 with V_person = I + gamma 11', built person by person with explicit matrices.
    # (statsmodels' own bse_fe inverts the joint information of coefficients and variances: it differs in the
    # fourth digit.)
    design = np.column_stack([np.ones_like(x), x])
    gamma = float(np.asarray(fit.cov_re)[0, 0]) / fit.scale
    information = np.zeros((2, 2))
    for code in np.unique(codes):
        rows = design[codes == code]
        information += rows.T @ np.linalg.inv(np.eye(len(rows)) + gamma * np.ones((len(rows), len(rows)))) @ rows
    slope, se = float(fit.fe_params[1]), math.sqrt(fit.scale * np.linalg.inv(information)[1, 1])
    z = slope / se
    assert row["diff_medel"] == pytest.approx(slope, abs=1e-6)
    assert row["statistika"] == pytest.approx(z, abs=1e-6)
    assert row["p_unc"] == pytest.approx(2 * stats.norm.sf(abs(z)), abs=1e-4)
    assert (row["diff_medel_lag"], row["diff_medel_hog"]) == pytest.approx((slope - 1.959964 * se, slope + 1.959964 * se), abs=1e-5)
    assert row["familj"] == "primär" and row["p_unc"] < 0.05 and row["effekt"] > 0  # the generated rise of 0.3 per wave
    # the fitted line of the chart: the fixed part of the same model at each wave
    lines = trend_lines(survey, comparison, 5)
    assert list(lines.columns) == TREND_LINE_COLUMNS
    alla = lines[(lines["niva"] == "index") & (lines["grupp"] == "Alla")]
    assert list(alla["enkat"]) == WAVES
    np.testing.assert_allclose(alla["trend"], fit.fe_params[0] + fit.fe_params[1] * np.arange(3), atol=1e-6)
    assert (alla["trend_lag"] < alla["trend"]).all() and (alla["trend"] < alla["trend_hog"]).all()


def test_partly_linked_test_and_trend_equal_r_output(generated):
    """The generated data set (index scores, one row per answer: kod, vag 0/1/2, index) written to long.csv and
    run in R 4.2.2 with lme4 1.1.31 and Partiallyoverlapping 2.0 (options(digits = 15)):

        d <- read.csv("long.csv")
        m <- lme4::lmer(index ~ vag + (1 | kod), data = d, REML = TRUE)
        fixef(m)                      # 2.93870485753789 0.159750344167054
        sqrt(diag(as.matrix(vcov(m)))) # 0.0653635790451691 0.0471175571095411
        e <- d[d$vag == 0, ]; l <- d[d$vag == 2, ]; linked <- intersect(e$kod, l$kod)
        x3 <- l$index[match(linked, l$kod)]; x4 <- e$index[match(linked, e$kod)]
        x1 <- l$index[!(l$kod %in% linked)]; x2 <- e$index[!(e$kod %in% linked)]   # 30, 30 and 20 answers
        r <- Partiallyoverlapping::Partover.test(x1, x2, x3, x4, var.equal = FALSE, conf.level = 0.95)
        # statistic 3.56812062321042, parameter 66.3971146149293, p.value 0.000673374253746202,
        # conf.int 0.140961966965604 0.499038033034396, estimate 0.32

    The trend's test is the Wald z of lmer's slope (z = fixef / se, two-sided normal p, estimate ± 1.959964 se).
    """
    _, _, table, _ = generated
    slope, se = 0.159750344167054, 0.0471175571095411
    trend = _row(table, "trend_lmm")
    assert trend["diff_medel"] == pytest.approx(slope, abs=1e-6)
    assert trend["statistika"] == pytest.approx(slope / se, abs=1e-6)
    assert trend["p_unc"] == pytest.approx(2 * stats.norm.sf(slope / se), abs=1e-4)
    assert (trend["diff_medel_lag"], trend["diff_medel_hog"]) == pytest.approx((slope - 1.959964 * se, slope + 1.959964 * se), abs=1e-5)
    partover = _row(table, "partover_t")
    assert partover["statistika"] == pytest.approx(3.56812062321042, abs=1e-6)
    assert partover["p_unc"] == pytest.approx(0.000673374253746202, abs=1e-4)
    assert partover["diff_medel"] == pytest.approx(0.32, abs=1e-9)
    assert (partover["diff_medel_lag"], partover["diff_medel_hog"]) == pytest.approx((0.140961966965604, 0.499038033034396), abs=1e-6)


def test_reml_without_people_effects_is_least_squares():
    # Every person answers once: no person variance can be told apart, the fit is ordinary least squares.
    rng = np.random.default_rng(3)
    x = np.repeat([0.0, 1.0, 2.0], 20)
    y = 3 + 0.2 * x + rng.normal(0, 1, 60)
    coef, cov, _, _ = _reml(x, y, np.arange(60).astype(str))
    ols = stats.linregress(x, y)  # scipy: linregress(x, y).slope / .stderr
    assert coef[1] == pytest.approx(ols.slope, abs=1e-6) and math.sqrt(cov[1, 1]) == pytest.approx(ols.stderr, rel=1e-4)


def test_question_trends_use_jonckheere_when_partly_linked(generated):
    _, _, table, answers = generated
    row = _row(table, "jonckheere", niva="fraga", item="q1")
    samples = [np.array([r[1] for r in answers[wave]], dtype=float) for wave in WAVES]
    ref = _jonckheere(samples)
    assert row["statistika"] == pytest.approx(ref.statistic) and row["p_unc"] == pytest.approx(ref.p)
    assert (row["n_fran"], row["n_till"]) == (50, 50)
    # its size: the least-squares slope per wave, scipy: linregress(wave, answer)
    ols = stats.linregress(np.repeat([0.0, 1.0, 2.0], 50), np.concatenate(samples))
    assert row["diff_medel"] == pytest.approx(ols.slope)
    assert row["familj"] == "utforskande"


def test_jonckheere_by_hand_and_by_enumeration():
    # By hand: groups {1, 2} < {2, 3} < {3, 4}: U12 = 1 + 1 + 0.5 + 1 = 3.5, U13 = 4, U23 = 3.5, J = 11 of P = 12
    res = _jonckheere([np.array([1.0, 2.0]), np.array([2.0, 3.0]), np.array([3.0, 4.0])])
    assert res.statistic == 11 and res.effect == pytest.approx(2 * 11 / 12 - 1)
    # The tie-corrected variance is the exact permutation variance: enumerate every split of tied values.
    values = np.array([1, 1, 2, 2, 2, 3, 4, 4, 5], dtype=float)
    sizes = (3, 3, 3)
    js = []
    for first in itertools.combinations(range(9), 3):
        rest = [i for i in range(9) if i not in first]
        for second in itertools.combinations(rest, 3):
            third = [i for i in rest if i not in second]
            js.append(_jonckheere([values[list(first)], values[list(second)], values[third]]).statistic)
    exact_variance = np.var(js)
    observed = [values[:3], values[3:6], values[6:]]
    res = _jonckheere(observed)
    expected_mean = (81 - sum(n * n for n in sizes)) / 4
    z = (res.statistic - expected_mean) / math.sqrt(exact_variance)
    assert res.p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_page_for_fully_linked_questions(tmp_path, mini_instrument):
    rng = np.random.default_rng(7)
    matrix = np.clip(np.rint(3 + rng.normal(0, 0.8, (12, 1)) + 0.4 * np.arange(3) + rng.normal(0, 0.7, (12, 3))), 1, 5)
    waves = [[["AF", f"p{i}", int(matrix[i, w]), 3, 3, f"{w}"] for i in range(12)] for w in range(3)]
    paths = [write_csv(tmp_path / f"w{w}.csv", rows) for w, rows in enumerate(waves)]
    survey = read_waves(paths, load_instrument(mini_instrument))
    table = wave_changes(survey, compare_waves(survey, 5), 5)
    row = _row(table, "page", niva="fraga", item="q1")
    up, down = stats.page_trend_test(matrix), stats.page_trend_test(matrix[:, ::-1])  # scipy, both directions
    assert row["statistika"] == pytest.approx(up.statistic) and row["p_unc"] == pytest.approx(min(1, 2 * min(up.pvalue, down.pvalue)))
    assert bool(row["parad"]) and (row["n_fran"], row["n_till"], row["n_par"]) == (12, 12, 12)
    slopes = [stats.linregress([0, 1, 2], person).slope for person in matrix]  # each person's least-squares slope
    assert row["diff_medel"] == pytest.approx(np.mean(slopes))
    half = stats.t.ppf(0.975, 11) * np.std(slopes, ddof=1) / math.sqrt(12)
    assert (row["diff_medel_lag"], row["diff_medel_hog"]) == pytest.approx((np.mean(slopes) - half, np.mean(slopes) + half))
    # Page's effect: the mean Spearman correlation of wave order and each person's answers (no ties within a person)
    untied = np.array([[1, 2, 3], [1, 3, 2], [2, 1, 3], [1, 2, 3]], dtype=float)
    rho = np.mean([stats.spearmanr([0, 1, 2], person).statistic for person in untied])
    assert _page(untied).effect == pytest.approx(rho)


def test_two_waves_have_no_trend(tmp_path, mini_instrument):
    survey, _ = _generated(tmp_path, mini_instrument)
    two = read_waves([tmp_path / "w0.csv", tmp_path / "w1.csv"], load_instrument(mini_instrument))
    table = wave_changes(two, compare_waves(two, 5), 5)
    assert not table["test"].isin(["trend_lmm", "page", "jonckheere"]).any()
    assert trend_lines(two, compare_waves(two, 5), 5).empty and len(survey.waves) == 3
