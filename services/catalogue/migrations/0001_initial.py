"""The service catalogue becomes an app of its own (label "catalogue").

The two models existed before in the counselling app (label "services", migrations
0001-0003 there) and their tables stay where they are, with their rows, indexes and
constraints: this migration only tells Django's migration state that the models are
now catalogue's (db_table keeps the old table names). services 0004 then points the
counselling FKs at them, removes them from the services state and renames their
content types.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables are created by services 0001-0003: on a fresh database they come first.
        ("services", "0003_request_cluster_created_index"),
        ("clusters", "0009_topic_alias"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="ServiceCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=60, unique=True, verbose_name="slug")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("soft", "Soft service (counselling, networking)"),
                            ("hard", "Hard service (infrastructure)"),
                        ],
                        max_length=4,
                        verbose_name="kind",
                    ),
                ),
                (
                    "importance",
                    models.PositiveSmallIntegerField(
                        verbose_name="importance in the 2020-2021 survey"
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
            ],
            options={
                "verbose_name": "service category",
                "verbose_name_plural": "service categories",
                "db_table": "services_servicecategory",
                "ordering": ["-importance", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("importance__gte", 1), ("importance__lte", 5)),
                        name="servicecategory_importance_1_5",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ServiceOffering",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "terms",
                    models.CharField(
                        choices=[("included", "Included in membership"), ("priced", "Priced")],
                        default="included",
                        max_length=10,
                        verbose_name="terms",
                    ),
                ),
                (
                    "price_note",
                    models.CharField(
                        blank=True,
                        help_text="For priced services, e.g. “€90 per hour”.",
                        max_length=200,
                        verbose_name="price",
                    ),
                ),
                (
                    "response_days",
                    models.PositiveSmallIntegerField(
                        default=5, verbose_name="expected response time (working days)"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "created",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="offerings",
                        to="catalogue.servicecategory",
                        verbose_name="category",
                    ),
                ),
                (
                    "cluster",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_offerings",
                        to="clusters.cluster",
                        verbose_name="cluster",
                    ),
                ),
                (
                    "provider_advisor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="provided_offerings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="provided by advisor",
                    ),
                ),
                (
                    "provider_organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="provided_offerings",
                        to="clusters.organisation",
                        verbose_name="provided by partner organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "service offering",
                "verbose_name_plural": "service offerings",
                "db_table": "services_serviceoffering",
                "ordering": ["cluster__name", "category__name", "title"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cluster", "title"), name="offering_unique_title"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("terms", "priced"), _negated=True),
                            models.Q(("price_note", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="offering_priced_has_price_note",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("response_days__gte", 1), ("response_days__lte", 60)),
                        name="offering_response_days_1_60",
                    ),
                ],
            },
        ),
    ]

    operations = [
        # State only: the tables, their indexes and constraints exist (services 0001-0003).
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])
    ]
