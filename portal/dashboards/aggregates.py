"""The query pieces every figure shares: the scope filter (one cluster, several, or the
whole network) and percentiles, in SQL on PostgreSQL and in Python elsewhere."""

from __future__ import annotations

from django.db.models import Aggregate, FloatField


class Percentile(Aggregate):
    """PostgreSQL's PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY expr)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=percentile, **extra)


class Percentiles(Aggregate):
    """Several percentiles from one sort: PERCENTILE_CONT(ARRAY[...]) WITHIN GROUP."""

    function = "PERCENTILE_CONT"
    template = (
        "%(function)s(ARRAY[%(percentiles)s]::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    )

    def __init__(self, expression, percentiles: tuple[float, ...], **extra):
        from django.contrib.postgres.fields import ArrayField

        super().__init__(
            expression,
            percentiles=", ".join(str(float(p)) for p in percentiles),
            output_field=ArrayField(FloatField()),
            **extra,
        )


def in_scope(qs, field: str, cluster_ids):
    return qs if cluster_ids is None else qs.filter(**{f"{field}__in": cluster_ids})


def percentile(values: list[float], p: float):
    """Linear interpolation, as PERCENTILE_CONT does."""
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)
