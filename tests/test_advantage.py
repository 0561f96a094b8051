import pytest

from tools.advantage import NEUTRAL_PRIOR, AdvantageParams, advantage


def test_no_evidence_returns_prior_or_neutral():
    assert advantage([], 0.7).value == 0.7
    assert advantage([], None).value == NEUTRAL_PRIOR
    # neighbours under the similarity floor are not evidence
    assert advantage([(0.2, 1.0), (0.1, 0.0)], 0.6, AdvantageParams(min_similarity=0.5)).value == 0.6


def test_weighted_mean_and_shrinkage_formula():
    p = AdvantageParams(k=8, min_similarity=0.0, strength=2.0)
    adv = advantage([(0.9, 1.0), (0.6, 0.0)], 0.5, p)
    mean = (0.9 * 1.0 + 0.6 * 0.0) / 1.5
    assert adv.mean == pytest.approx(mean)
    assert adv.evidence == pytest.approx(1.5)
    assert adv.value == pytest.approx((1.5 * mean + 2.0 * 0.5) / 3.5)
    assert adv.neighbours == 2


def test_more_evidence_moves_further_from_prior():
    p = AdvantageParams(k=50, min_similarity=0.0, strength=2.0)
    one = advantage([(0.9, 1.0)], 0.5, p).value
    ten = advantage([(0.9, 1.0)] * 10, 0.5, p).value
    assert 0.5 < one < ten < 1.0
    assert advantage([(0.9, 0.0)] * 10, 0.5, p).value < 0.2


def test_only_k_most_similar_count():
    p = AdvantageParams(k=2, min_similarity=0.0, strength=0.0)
    adv = advantage([(0.5, 0.0), (0.95, 1.0), (0.9, 1.0)], 0.5, p)
    assert adv.neighbours == 2 and adv.value == pytest.approx(1.0)


def test_zero_strength_is_plain_weighted_mean():
    adv = advantage([(1.0, 0.2), (0.5, 0.8)], 0.9, AdvantageParams(min_similarity=0.0, strength=0.0))
    assert adv.value == pytest.approx((0.2 + 0.4) / 1.5)
