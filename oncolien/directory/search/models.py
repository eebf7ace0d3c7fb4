"""The search index: one denormalised document per active service, and its places.

These rows are derived data, written only by `search.index` (from the
directory's own tables, inside the same transaction as the change) and
rebuilt from scratch by `manage.py rebuild_search_index`. Inactive services
have no document, so that no search can ever return them.

The words and tags of each document are indexed by the database's full text:
on SQLite an FTS5 table that triggers keep in step with
`directory_searchdocument` (see `sqlite_fts.py`), on PostgreSQL GIN indexes
on tsvectors of the columns (see `postgres_fts.py`); migration 0003 creates
both.
"""

from django.db import models


class SearchDocument(models.Model):
    service = models.OneToOneField(
        "directory.Service",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # Normalised service name: the order of results by name (see text.sort_key).
    name_key = models.CharField(max_length=200)
    # Follows the order of (name_key, service): see ranks.py. Also the rowid of
    # the document in SQLite's FTS5 index.
    name_rank = models.BigIntegerField(unique=True)
    # Normalised words (see text.normalize_text): the service and organisation
    # names make the "title", which ranks first; description, cares,
    # professions, labels and communes make the "body".
    title = models.TextField()
    body = models.TextField()
    # What the filters look for (see tags.py), separated by spaces.
    tags = models.TextField()

    class Meta:
        app_label = "directory"
        db_table = "directory_searchdocument"
        verbose_name = "document de recherche"
        indexes = [models.Index(fields=["name_key", "service"], name="directory_search_name")]

    def __str__(self) -> str:
        return self.name_key


class SearchPoint(models.Model):
    """A place where a service is delivered: each location, and for a home service
    the centroid of each commune it serves."""

    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="search_points"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    # floor(latitude × 10), see geo.latitude_band.
    latitude_band = models.IntegerField()
    # Copies of the document's name key and tags (the tags between spaces):
    # a search around a commune filters and orders the points of its box
    # without reading the documents or the full-text index.
    name_key = models.CharField(max_length=200)
    tags = models.TextField()

    class Meta:
        app_label = "directory"
        db_table = "directory_searchpoint"
        verbose_name = "lieu de recherche"
        indexes = [
            # Covers a box query: one range of longitudes per band, no table look-up.
            models.Index(
                fields=["latitude_band", "longitude", "latitude", "service", "name_key", "tags"],
                name="directory_search_box",
            ),
            models.Index(fields=["commune", "service"], name="directory_search_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.latitude}, {self.longitude}"


class SearchTerm(models.Model):
    """Every word of the documents' titles and bodies (see sqlite_fts._expand_prefix).

    Words are only added: one no document holds any more matches nothing and
    costs nothing; `rebuild_search_index` starts the list afresh.
    """

    term = models.CharField(max_length=60, primary_key=True)

    class Meta:
        app_label = "directory"
        db_table = "directory_searchterm"
        verbose_name = "mot indexé"

    def __str__(self) -> str:
        return self.term
